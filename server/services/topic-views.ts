import type { Logger } from 'pino';
import type { Models } from '../models/index.js';
import { createGatheredWrites, writePaced } from './gathered-writes.js';

/** Topics written per command (each `$inc` a document's update: see last-active.ts). */
const CHUNK = 10;

/** A viewer counts once per topic in this long (phpBB counts every page; reloads and live redraws would inflate that). */
const SAME_VIEWER_MS = 3_600_000;
/** At most this many (topic, viewer) pairs are remembered; past it the oldest are forgotten (and may count again). */
const REMEMBERED_MAX = 100_000;

/**
 * phpBB's topic "Views". Each topic page served to a person (members by id, guests by address;
 * never API tokens or crawlers: the caller decides who) counts once per topic an hour. Counts
 * gather in memory and go to the database every `flushMs`, one `$inc` per topic viewed (10 a
 * command, paced as the last-active flush is), off every request's path; `flush()` on shutdown
 * writes what is left. With several nodes each
 * remembers its own viewers (a viewer moving between nodes may count once on each) and the
 * `$inc`s add up.
 */
export function createTopicViews({ models, logger, flushMs, now = Date.now }: { models: Models; logger: Logger; flushMs: number; now?: () => number }) {
  /** (topic, viewer) -> when it last counted; a Map keeps insertion order, which is time order. */
  const seen = new Map<string, number>();

  function forgetOld(at: number): void {
    for (const [key, when] of seen) {
      if (at - when < SAME_VIEWER_MS && seen.size <= REMEMBERED_MAX) break;
      seen.delete(key);
    }
  }

  const gathered = createGatheredWrites<number>({
    flushMs,
    async write(batch, pace) {
      const ops = [...batch].map(([topicId, n]) => ({ updateOne: { filter: { _id: topicId }, update: { $inc: { views: n } } } }));
      await writePaced(ops, CHUNK, (chunk) => models.Topic.bulkWrite(chunk, { ordered: false }), pace);
    },
    failed: (err, topics) => logger.warn({ err, topics }, 'writing topic views failed'),
  });

  return {
    /** A page of this topic was served to this viewer (`u:<id>` or `g:<address>`). */
    viewed(topicId: string, viewer: string): void {
      const at = now();
      const key = `${topicId} ${viewer}`;
      const last = seen.get(key);
      if (last !== undefined && at - last < SAME_VIEWER_MS) return;
      seen.delete(key); // re-inserted at the end: the Map stays in time order
      seen.set(key, at);
      gathered.set(topicId, (gathered.get(topicId) ?? 0) + 1);
      forgetOld(at);
    },
    flush: gathered.flush,
    /** Stop the timer and write what is left. */
    close: gathered.close,
  };
}
export type TopicViews = ReturnType<typeof createTopicViews>;
