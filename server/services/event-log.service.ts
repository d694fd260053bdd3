import { op } from '../db/connect.js';
import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Models } from '../models/index.js';
import type { Config } from '../config.js';
import type { TopicEvent, TopicEventType } from '../../shared/schemas.js';
import { AppError, isDuplicateKey, notFound } from '../errors.js';
import type { ForumAccessRecord } from './access.service.js';
import { createSeqClaims } from './seq-claims.js';
import { coalescedInsert, type InsertTarget } from '../db/coalesced-insert.js';
import { gatheredReads } from '../db/gathered-reads.js';

/** Receives each event once it is durable; the broadcaster implements it. */
export interface EventSink {
  /** A seq was claimed on this node: its event (or a noop) will follow. */
  claimed?(topicId: string, seq: number): void;
  publish(event: TopicEvent): void;
}

export interface Claim {
  topicId: string;
  forumId: string;
  seq: number;
  forumSeq: number;
  /**
   * The topic document after the claim (counters included). Its `forumId` is the forum the topic
   * is in now; the claim's own `forumId` is the forum whose seq it took, which differs only when
   * a writer named a forum (`ClaimAlso.forumId`) the topic has since left.
   */
  topic: { forumId: string; postNumbers: number; postCount: number; title: string; locked: boolean; deleted: boolean };
  /** The forum's permissions as the claim found them (posts check them again against these). */
  forum: { permissions?: ForumAccessRecord['permissions'] };
}

/** Changes that ride on a claim's two updates: the topic's and the forum's. */
export interface ClaimAlso {
  /**
   * The forum the writer found the topic in. With it the forum's update goes out together with
   * the topic's instead of after it (one round trip less); the writer must then check that
   * `claim.topic.forumId` is still this forum, and abandon the claim if not (a moved topic).
   */
  forumId?: string;
  topic?: { $inc?: Record<string, number>; $set?: Record<string, unknown> };
  forum?: { $inc?: Record<string, number>; $set?: Record<string, unknown> };
}

export interface ReplayResult {
  seq: number;
  missed?: TopicEvent[];
  resync?: true;
  more?: boolean;
}

/**
 * What this node emitted recently (the broadcaster keeps it), so that catch-up need not scan the log.
 * Only events this node emitted are in it, and it emits only after commit, so each is durable; what
 * it cannot vouch for is read from the log. With several nodes another node's seqs never enter it:
 * its runs break there and the log answers (correct, just slower).
 */
export interface RecentEvents {
  /** The first `limit` events after `sinceSeq` and the end of the contiguous run they belong to; null unless the run covers `sinceSeq`. */
  since(topicId: string, sinceSeq: number, limit: number): { events: TopicEvent[]; last: number } | null;
  /** The highest seq with every seq up to it committed, given every seq <= `base` is; null if unknown. */
  settledThrough(topicId: string, base: number): number | null;
  /** The log found every seq <= `seq` committed. */
  noteSettled(topicId: string, seq: number): void;
  /** Every seq in (from, to] is claimed or held on this node and will be emitted here. */
  inFlightHere(topicId: string, from: number, to: number): boolean;
}

/** How long a replay waits for this node to learn of its own claims (see runReaching). */
const RUN_WAIT_MS = 100;
const RUN_WAIT_STEP_MS = 10;

type Deps = { models: Models; config: Config; logger: Logger; sink: EventSink; recent?: RecentEvents; now?: () => Date };

/**
 * The durable per-topic event log.
 *
 * Write path (every topic change): claim -> apply -> commit.
 *  1. claim: `$inc` the topic's seq (and the forum's cursor), atomically in the database;
 *  2. apply: the service stores the change, stamping the changed document with that seq
 *     (guarded so an older seq never overwrites a newer one);
 *  3. commit: the event, with its full payload, is inserted into the log (unique per topic
 *     and seq), and only then handed to the sink to be emitted.
 * So every event in the log describes a change that is already stored. A writer that dies
 * between claim and commit leaves a hole in the seq numbers; readers wait up to
 * EVENT_GAP_TIMEOUT_MS for a hole to fill, then step over it (see `replayTopic`). A writer
 * that fails after claiming writes a `noop` event so that no one waits for it.
 */
export function createEventLog({ models, config, logger, sink, recent, now = () => new Date() }: Deps) {
  const { Topic, Forum, Event } = models;
  /** A topic's head (seq, log floor, when last claimed), as it stands now; gathered, so a reconnect storm's replays share a few reads. */
  const readTopicHead = gatheredReads((ids) => Topic.find({ _id: op({ $in: ids }) }, { seq: 1, logFloor: 1, seqAt: 1 }).lean());
  // Count-based pruning runs every so many events: a tenth of the retention (so a topic keeps
  // between 1 and 1.1 times EVENT_RETENTION_COUNT events), at most every 1,000. A prune is two
  // reads of `events` by topic and seq, which FerretDB answers by scanning the collection: at
  // every 100 events, a busy topic past its retention spent 5x the database CPU per post.
  const pruneEvery = Math.max(1, Math.min(1000, Math.floor(config.eventRetentionCount / 10)));

  /** `also`: counters and summaries to change in the same atomic updates as the seqs (a post's counts and "last post"). Concurrent claims to one topic share their updates (see seq-claims). */
  const { claim } = createSeqClaims({ models, sink, now });
  /** Concurrent event rows go to the log together (see coalesced-insert). */
  const insertEvent = coalescedInsert(Event.collection as unknown as InsertTarget<Record<string, unknown>>);

  /** Make the event durable, then emit it. */
  async function commit(claimed: Claim, event: TopicEvent): Promise<void> {
    // Straight to the driver: the row is built here in full, and mongoose's create() costs a
    // document, validation and two Error objects per event (a visible share of a post's CPU).
    await insertEvent({
      topicId: new Types.ObjectId(claimed.topicId),
      forumId: new Types.ObjectId(claimed.forumId),
      seq: claimed.seq,
      forumSeq: claimed.forumSeq,
      type: event.type,
      data: JSON.stringify(event.data),
      at: now(),
    });
    sink.publish(event);
    if (claimed.seq % pruneEvery === 0 && claimed.seq > config.eventRetentionCount) {
      void pruneTopicByCount(claimed.topicId, claimed.forumId, claimed.seq).catch((err) =>
        logger.warn({ err, topicId: claimed.topicId }, 'event log pruning failed'),
      );
    }
  }

  /** The writer failed after claiming: record a noop so readers need not wait for this seq. */
  async function abandon(claimed: Claim, reason: unknown): Promise<void> {
    logger.warn({ err: reason, topicId: claimed.topicId, seq: claimed.seq }, 'claimed seq abandoned');
    const data = { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq };
    try {
      await commit(claimed, { type: 'noop', data });
    } catch (err) {
      logger.error({ err, topicId: claimed.topicId, seq: claimed.seq }, 'could not record noop; readers will step over the gap');
      sink.publish({ type: 'noop', data });
    }
  }

  /** Claim, apply, commit; on failure after the claim, abandon the seq and rethrow. */
  async function write<T>(
    topicId: string,
    apply: (claimed: Claim) => Promise<{ result: T; event: TopicEvent }>,
    also: ClaimAlso = {},
  ): Promise<T & { seq: number }> {
    const claimed = await claim(topicId, also);
    let outcome: { result: T; event: TopicEvent };
    try {
      outcome = await apply(claimed);
    } catch (err) {
      await abandon(claimed, err);
      throw err;
    }
    try {
      await commit(claimed, outcome.event);
    } catch (err) {
      // Stored but not logged (the database failed between the two): let this node's
      // emit order move on; readers step over the hole after the gap timeout.
      logger.error({ err, topicId: claimed.topicId, seq: claimed.seq }, 'event commit failed');
      sink.publish({ type: 'noop', data: { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq } });
      throw err;
    }
    return { ...outcome.result, seq: claimed.seq };
  }

  function decode(rows: Array<{ type: string; data: string }>): TopicEvent[] {
    return rows.map((row) => ({ type: row.type as TopicEventType, data: JSON.parse(row.data) }) as TopicEvent);
  }

  /**
   * Events after `sinceSeq` in seq order, at most one page. A hole younger than the gap timeout
   * ends the page (its event is still being written and will arrive live); an older one is stepped over.
   * A recent `sinceSeq` is answered from `recent` when it can vouch for the answer, else from the log.
   */
  async function replayTopic(topicId: string, sinceSeq: number): Promise<ReplayResult> {
    const topic = await readTopicHead(topicId);
    if (!topic) throw notFound('Topic');
    if (sinceSeq > topic.seq) throw new AppError('BAD_REQUEST', `sinceSeq ${sinceSeq} is ahead of the topic (seq ${topic.seq})`);
    if (sinceSeq === topic.seq) return { seq: topic.seq, missed: [] };
    // Past retention: the reader reloads and follows on from a seq whose events are all stored.
    if (sinceSeq < topic.logFloor) return { seq: await settledSeq(topicId), resync: true };
    // From memory when this node's run covers (sinceSeq, head], or reaches from sinceSeq to seqs
    // still being written here: those arrive live, the subscriber joined the room before this read.
    const run = recent && (await runReaching(recent, topicId, sinceSeq, topic.seq));
    if (run) {
      const missed = run.events.slice(0, Math.max(0, topic.seq - sinceSeq));
      const upTo = sinceSeq + missed.length;
      return { seq: topic.seq, missed, more: upTo < topic.seq && missed.length === config.replayPageSize };
    }
    const rows = await Event.find({ topicId, seq: op({ $gt: sinceSeq }) }, { seq: 1, type: 1, data: 1, at: 1 })
      .sort({ seq: 1 })
      .limit(config.replayPageSize)
      .lean();
    const kept = takeSettled(rows, sinceSeq, (r) => r.seq);
    const last = kept.length ? kept[kept.length - 1].seq : sinceSeq;
    return {
      seq: topic.seq,
      missed: decode(kept),
      more: last < topic.seq && kept.length === rows.length && rows.length === config.replayPageSize,
    };
  }

  /**
   * This node's run from `sinceSeq` if it reaches `head` or seqs in flight here. A seq this node
   * claimed may already count in `head` before the claim's answer reaches this process (under
   * load, a while): a run that covers `sinceSeq` but falls short is looked at again for up to
   * RUN_WAIT_MS before the log is read, since a read of the log is a scan on FerretDB and, in a
   * reconnect storm, a few hundred of them saturate it.
   */
  async function runReaching(memory: RecentEvents, topicId: string, sinceSeq: number, head: number) {
    for (let waited = 0; ; waited += RUN_WAIT_STEP_MS) {
      const run = memory.since(topicId, sinceSeq, config.replayPageSize);
      if (!run) return null;
      if (run.last >= head || memory.inFlightHere(topicId, run.last, head)) return run;
      if (waited >= RUN_WAIT_MS) return null;
      await new Promise((r) => setTimeout(r, RUN_WAIT_STEP_MS));
    }
  }

  /**
   * As replayTopic, for every topic of a forum, in the order of the forum's cursor. Two events
   * written concurrently to one topic may take forum cursors in the other order than their seq.
   */
  async function replayForum(forumId: string, sinceSeq: number): Promise<ReplayResult> {
    const forum = await Forum.findById(forumId, { seq: 1, seqAt: 1, logFloor: 1 }).lean();
    if (!forum) throw notFound('Forum');
    if (sinceSeq > forum.seq) throw new AppError('BAD_REQUEST', `sinceSeq ${sinceSeq} is ahead of the forum (seq ${forum.seq})`);
    if (sinceSeq === forum.seq) return { seq: forum.seq, missed: [] };
    const floor = forum.logFloor;
    if (sinceSeq < floor) return { seq: await settledForumSeq(forumId), resync: true };
    const rows = await Event.find({ forumId, forumSeq: op({ $gt: sinceSeq }) }, { topicId: 1, seq: 1, forumSeq: 1, type: 1, data: 1, at: 1 })
      .sort({ forumSeq: 1 })
      .limit(config.replayPageSize)
      .lean();
    const kept = takeSettled(rows, sinceSeq, (r) => r.forumSeq);
    return { seq: forum.seq, missed: decode(kept), more: kept.length === config.replayPageSize };
  }

  /** Rows up to the first hole that may still fill; holes older than the gap timeout are stepped over. */
  function takeSettled<R extends { at: Date }>(rows: R[], since: number, key: (r: R) => number): R[] {
    const cutoff = now().getTime() - config.eventGapTimeoutMs;
    const kept: R[] = [];
    let expected = since + 1;
    for (const row of rows) {
      const k = key(row);
      if (k !== expected && row.at.getTime() > cutoff) break; // a hole before a recent event: wait for it
      kept.push(row);
      expected = k + 1;
    }
    // A trailing hole (claimed, not yet written) needs nothing: its event will come live.
    return kept;
  }

  /**
   * The seq a reader may pair with what it reads next: every event up to it is committed,
   * so its change is visible to a query made after this returns (load-then-subscribe).
   */
  async function settledSeq(topicId: string): Promise<number> {
    const seq = await settledSeqFromLog(topicId);
    recent?.noteSettled(topicId, seq);
    return seq;
  }

  async function settledSeqFromLog(topicId: string): Promise<number> {
    return settledInLog(
      async () => {
        const topic = await readTopicHead(topicId);
        if (!topic) throw notFound('Topic');
        return topic;
      },
      async (from, head) => (await Event.find({ topicId, seq: op({ $gt: from, $lte: head }) }, { seq: 1, _id: 0 }).sort({ seq: 1 }).lean()).map((r) => r.seq),
      (from, head) => {
        // From memory: the log check takes every seq <= `from` as settled and reads the rest;
        // this node's run vouches for the rest when it starts at or below a seq known settled.
        // Seqs after it that are still being written here arrive live (or, for a page load, by replay).
        const known = recent?.settledThrough(topicId, from);
        if (known == null) return null;
        if (known >= head) return head;
        return recent?.inFlightHere(topicId, known, head) ? known : null;
      },
    );
  }

  /**
   * A forum cursor to pair with "from now on" (a subscribe without `sinceSeq`, a resync): every
   * event up to it is committed, so the events still being written after it arrive live and are
   * not taken for ones the reader already has. The stored `seq` counts claims still in flight.
   */
  async function settledForumSeq(forumId: string): Promise<number> {
    return settledInLog(
      async () => {
        const forum = await Forum.findById(forumId, { seq: 1, logFloor: 1, seqAt: 1 }).lean();
        if (!forum) throw notFound('Forum');
        return forum;
      },
      async (from, head) =>
        (await Event.find({ forumId, forumSeq: op({ $gt: from, $lte: head }) }, { forumSeq: 1, _id: 0 }).sort({ forumSeq: 1 }).lean()).map((r) => r.forumSeq),
    );
  }

  /**
   * The highest seq of a counter (a topic's seq, a forum's cursor) with every seq up to it in the
   * log. Only the last 64 are checked (older writers are long done); a counter untouched for the
   * gap timeout is settled as it stands (its holes are dead writers' seqs: nothing will fill them).
   * Holes are waited for a little (writers commit within milliseconds), then stopped at.
   */
  async function settledInLog(
    read: () => Promise<{ seq: number; logFloor?: number | null; seqAt?: Date | null }>,
    committedIn: (from: number, head: number) => Promise<number[]>,
    fromMemory: (from: number, head: number) => number | null = () => null,
  ): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const { seq: head, logFloor, seqAt } = await read();
      const from = Math.max(logFloor ?? 0, head - 64);
      if (head === from) return head;
      const remembered = fromMemory(from, head);
      if (remembered !== null) return remembered;
      if ((seqAt?.getTime() ?? 0) < now().getTime() - config.eventGapTimeoutMs) return head;
      const seqs = await committedIn(from, head);
      if (seqs.length === head - from) return head;
      if (attempt >= 20) {
        let expected = from + 1;
        for (const s of seqs) {
          if (s !== expected) break;
          expected++;
        }
        return expected - 1;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async function pruneTopicByCount(topicId: string, forumId: string, seq: number): Promise<void> {
    const floor = seq - config.eventRetentionCount;
    await pruneBelow(topicId, forumId, floor);
  }

  async function pruneBelow(topicId: string, forumId: string, floor: number): Promise<void> {
    const top = await Event.findOne({ topicId, seq: op({ $lte: floor }) }, { forumSeq: 1 }).sort({ forumSeq: -1 }).lean();
    await Topic.updateOne({ _id: topicId }, { $max: { logFloor: floor } });
    if (top) await Forum.updateOne({ _id: forumId }, { $max: { logFloor: top.forumSeq } });
    await Event.deleteMany({ topicId, seq: op({ $lte: floor }) });
  }

  /** Drop events older than the retention age, moving each topic's floor up first. */
  async function pruneByAge(): Promise<number> {
    const cutoff = new Date(now().getTime() - config.eventRetentionDays * 86_400_000);
    let removed = 0;
    for (;;) {
      const batch = await Event.find({ at: op({ $lt: cutoff }) }, { topicId: 1, forumId: 1, seq: 1 }).limit(1000).lean();
      if (!batch.length) return removed;
      const perTopic = new Map<string, { forumId: string; seq: number }>();
      for (const e of batch) {
        const k = String(e.topicId);
        const cur = perTopic.get(k);
        if (!cur || e.seq > cur.seq) perTopic.set(k, { forumId: String(e.forumId), seq: e.seq });
      }
      for (const [topicId, { forumId, seq }] of perTopic) await pruneBelow(topicId, forumId, seq);
      removed += batch.length;
    }
  }

  return { claim, commit, abandon, write, replayTopic, replayForum, settledSeq, settledForumSeq, pruneByAge, newId: () => new Types.ObjectId() };
}

export type EventLog = ReturnType<typeof createEventLog>;
