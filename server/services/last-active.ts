import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Models } from '../models/index.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';
import { createGatheredWrites, writePaced } from './gathered-writes.js';

/**
 * Members written per command: ~5 ms of FerretDB's time each here (~0.45 ms a member), so a post
 * arriving meanwhile waits behind at most that. Paced (see writePaced), a flush of 5,000 took the
 * replies written meanwhile from p99 17-26 ms to 22-28 (bench/tools/flush-cost.ts; 25 a command
 * with shorter pauses read 30-50, chunks of 100 67-73, and 215-265 without pauses).
 */
const CHUNK = 10;

/**
 * phpBB's "Last active": when each member last did something here (a request answered, a live
 * connection closed). Kept in memory and written every `flushMs` (off every request's
 * path) and on shutdown, as one `$max` of the flush's time over every member touched since, in
 * chunks: a thousand members seen cost a hundred commands, not a thousand, each followed by a
 * pause three times as long as it took (none on shutdown), so the posts meanwhile are not held up. So the stored time
 * is late by up to `flushMs` and the writing of a flush; this node answers its own members' from
 * memory. With several nodes
 * each writes what it saw and `$max` keeps the latest. A member who hides their online status hides this too, from all
 * but themself and moderators (as phpBB does).
 */
export function createLastActive({ models, logger, flushMs, now = () => new Date() }: { models: Models; logger: Logger; flushMs: number; now?: () => Date }) {
  const gathered = createGatheredWrites<Date>({
    flushMs,
    async write(batch, pace) {
      const ids = [...batch.keys()].map((id) => new Types.ObjectId(id));
      const at = now();
      await writePaced(ids, CHUNK, (chunk) => models.User.collection.updateMany({ _id: { $in: chunk } }, { $max: { lastActiveAt: at } }), pace);
    },
    failed: (err, members) => logger.warn({ err, members }, 'writing last active times failed'),
  });

  return {
    /** This member did something now. */
    touch(userId: string): void {
      if (Types.ObjectId.isValid(userId)) gathered.set(userId, now());
    },

    /**
     * When the member was last active, as `viewer` may see it: an ISO time, null for never, or
     * undefined when hidden from them. This node's unwritten touch counts too (gathered, or in a
     * paced flush still being written).
     */
    async of(viewer: AuthUser | null, userId: string): Promise<string | null | undefined> {
      const row = await models.User.findById(userId, { hidden: 1, lastActiveAt: 1 }).lean();
      if (!row) return undefined;
      if (row.hidden && viewer?.id !== userId && !policy.isModerator(viewer)) return undefined;
      const here = gathered.unwritten(userId);
      const stored = row.lastActiveAt ?? null;
      const latest = here && (!stored || here > stored) ? here : stored;
      return latest ? latest.toISOString() : null;
    },
    flush: gathered.flush,
    /** Stop the timer and write what is left. */
    close: gathered.close,
  };
}
export type LastActive = ReturnType<typeof createLastActive>;
