import type { Logger } from 'pino';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { BoardStats } from '../../shared/schemas.js';
import { isDuplicateKey } from '../errors.js';

/** How long the member count and newest member are reused (a registration here forgets them at once). */
const MEMBER_FACTS_TTL_MS = 60_000;
const MOST_ONLINE = 'mostOnline';

/**
 * phpBB's statistics under the board index: how many members (bot accounts are not members) and
 * the newest one, and the most visitors ever online at once. Post and topic totals are the
 * forum rows' sums, which a listing already has. Counting members reads every user document
 * on FerretDB, so the answer is kept for a minute per node.
 */
export function createBoardStats({ models, logger, now = Date.now }: { models: Models; logger: Logger; now?: () => number }) {
  const { User, BoardRecord } = models;
  let memberFacts: { at: number; value: Promise<Pick<BoardStats, 'members' | 'newestMember'>> } | null = null;
  /** The highest total this node knows to be stored (undefined: not read yet). */
  let knownMost: number | undefined;

  async function readMemberFacts(): Promise<Pick<BoardStats, 'members' | 'newestMember'>> {
    const people = { role: op({ $ne: 'bot' }) };
    const [members, newest] = await Promise.all([User.countDocuments(people), User.findOne(people, { username: 1 }).sort({ joinedAt: -1, _id: -1 }).lean()]);
    return { members, newestMember: newest ? { id: String(newest._id), username: newest.username } : null };
  }

  async function stats(): Promise<BoardStats> {
    if (!memberFacts || now() - memberFacts.at > MEMBER_FACTS_TTL_MS) {
      const value = readMemberFacts();
      memberFacts = { at: now(), value };
      value.catch(() => (memberFacts = null)); // the next ask tries again
    }
    const [facts, most] = await Promise.all([memberFacts.value, BoardRecord.findById(MOST_ONLINE).lean()]);
    return { ...facts, mostOnline: most ? { total: most.total, at: most.at.toISOString() } : null };
  }

  /** The who-is-online total as just computed: a new record is stored (with several nodes, the highest wins). */
  async function noteOnline(total: number): Promise<void> {
    knownMost ??= (await BoardRecord.findById(MOST_ONLINE).lean())?.total ?? 0;
    if (total <= knownMost) return;
    knownMost = total;
    const at = new Date(now());
    const raise = () => BoardRecord.updateOne({ _id: MOST_ONLINE, total: op({ $lt: total }) }, { $set: { total, at } });
    if ((await raise()).matchedCount > 0) return;
    // Nothing lower stored: none at all (the first record), or a higher one. Should another
    // first record come in between, raise that one.
    try {
      await BoardRecord.create({ _id: MOST_ONLINE, total, at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await raise();
    }
  }

  return {
    stats,
    /** Someone joined: the next answer counts them. */
    forgetMembers(): void {
      memberFacts = null;
    },
    /** Never throws: a lost record is no reason to fail a presence push. */
    noteOnline(total: number): void {
      noteOnline(total).catch((err: unknown) => {
        knownMost = undefined; // read it again next time
        logger.warn({ err }, 'could not store the most users online');
      });
    },
  };
}
export type BoardStatsService = ReturnType<typeof createBoardStats>;
