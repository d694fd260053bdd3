import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import { AppError, notFound } from '../errors.js';
import { groupCommit } from '../db/group-commit.js';
import type { Claim, ClaimAlso, EventSink } from './event-log.service.js';
import type { ForumAccessRecord } from './access.service.js';

/**
 * Claims of topic seqs, one topic's at a time, in groups (see group-commit). The first write to a
 * topic claims at once; writes to the same topic that arrive while that claim is in flight are
 * claimed together when it returns: one `$inc` of the topic (and one of its forum) by their
 * number, each write then taking its own seq, forum seq and counters in arrival order. Under
 * load, k replies to a busy topic cost two round trips instead of 2k (those updates serialise on
 * the one document anyway).
 */
export function createSeqClaims({ models, sink, now }: { models: Models; sink: EventSink; now: () => Date }) {
  const { Topic, Forum, Event } = models;
  const claimInGroup = groupCommit<string, ClaimAlso, Claim>(async (topicId, group) => {
    const claims = await claimTogether(topicId, group.map((m) => m.input));
    group.forEach((m, i) => m.resolve(claims[i]));
  });
  const claim = (topicId: string, also: ClaimAlso = {}): Promise<Claim> => claimInGroup(topicId, also);

  /** One pair of atomic updates for `alsos.length` writes; their `$inc`s add up, the last `$set` wins. */
  async function claimTogether(topicId: string, alsos: ClaimAlso[]): Promise<Claim[]> {
    const k = alsos.length;
    const at = now();
    const topicInc = sum(alsos.map((a) => a.topic?.$inc));
    const forumInc = sum(alsos.map((a) => a.forum?.$inc));
    if (!Types.ObjectId.isValid(topicId)) throw notFound('Topic');
    // Straight to the driver, as the post and event rows are: nothing here needs mongoose's
    // casting (ids, counters, dates and the "last post" strings), and it is three of a post's calls.
    const claimTopic = () =>
      Topic.collection.findOneAndUpdate(
        { _id: new Types.ObjectId(topicId) },
        { $inc: { ...topicInc, seq: k }, $set: { seqAt: at, ...merge(alsos.map((a) => a.topic?.$set)) } },
        // No projection: FerretDB v1 does not implement findAndModify's `fields`.
        { returnDocument: 'after' },
      ) as Promise<TopicRow | null>;
    const claimForum = (forumId: Types.ObjectId) =>
      Forum.collection.findOneAndUpdate(
        { _id: forumId },
        { $inc: { ...forumInc, seq: k }, $set: { seqAt: at, ...merge(alsos.map((a) => a.forum?.$set)) } },
        { returnDocument: 'after' },
      ) as Promise<ForumRow | null>;

    /** The topic's update, then its forum's (sent once the topic's names the forum). */
    async function topicThenForum() {
      const topic = await claimTopic();
      if (!topic) throw notFound('Topic');
      return { topic, forumId: String(topic.forumId), forumClaim: claimForum(topic.forumId) };
    }

    /** Both updates at once, the forum being the one every write in the group named. */
    async function topicWithForum(named: string) {
      const forumClaim = claimForum(new Types.ObjectId(named));
      forumClaim.catch(() => {}); // awaited by the caller; a failure is handled there
      try {
        const topic = await claimTopic();
        if (!topic) throw notFound('Topic');
        return { topic, forumId: named, forumClaim };
      } catch (err) {
        // The forum's update may have gone through for a topic that is gone: its counters are the
        // writer's to undo (see ForumTouched), its seqs get noops.
        const forum = await forumClaim.catch(() => null);
        if (forum) await fillForumSeqs(named, topicId, forum.seq - k + 1, forum.seq);
        throw forum ? Object.assign(err as Error, { forumTouched: named }) : err;
      }
    }

    const named = alsos[0].forumId;
    const together = named !== undefined && Types.ObjectId.isValid(named) && alsos.every((a) => a.forumId === named);
    const claimed = together ? await topicWithForum(named) : await topicThenForum();
    const { topic, forumClaim } = claimed;
    /** The forum whose seq the writes take (see Claim.forumId). */
    let forumIdClaimed = claimed.forumId;
    const first = topic.seq - k + 1;
    for (let s = first; s <= topic.seq; s++) sink.claimed?.(String(topic._id), s); // before anything else can take time
    const release = () => {
      for (let s = first; s <= topic.seq; s++) sink.publish({ type: 'noop', data: { topicId: String(topic._id), forumId: forumIdClaimed, seq: s, forumSeq: 0 } });
    };
    let forum: ForumRow | null;
    try {
      forum = await forumClaim;
      if (!forum && forumIdClaimed !== String(topic.forumId)) {
        // The named forum is gone and the topic is elsewhere: claim where it is (the writer's
        // check against the claim then finds the move).
        forumIdClaimed = String(topic.forumId);
        forum = await claimForum(topic.forumId);
      }
    } catch (err) {
      release();
      throw err;
    }
    if (!forum) {
      release();
      throw new AppError('INTERNAL', 'Topic without forum');
    }
    // Counters as each write would have seen them alone: the totals less what later writes added.
    let after = { postNumbers: topic.postNumbers, postCount: topic.postCount };
    const claims: Claim[] = new Array(k);
    for (let i = k - 1; i >= 0; i--) {
      claims[i] = {
        topicId: String(topic._id),
        forumId: forumIdClaimed,
        seq: topic.seq - (k - 1 - i),
        forumSeq: forum.seq - (k - 1 - i),
        topic: { ...after, forumId: String(topic.forumId), title: topic.title, locked: !!topic.locked, deleted: !!topic.deleted },
        forum: { permissions: forum.permissions as ForumAccessRecord['permissions'] },
      };
      const inc = alsos[i].topic?.$inc ?? {};
      after = { postNumbers: after.postNumbers - (inc.postNumbers ?? 0), postCount: after.postCount - (inc.postCount ?? 0) };
    }
    return claims;
  }

  /**
   * Forum seqs taken for a topic that is gone: a noop row each, so that forum readers step over
   * them at once instead of waiting out the gap timeout. With no topic seq to carry, each row's
   * `seq` is minus its forum seq: unique, and below every topic replay's `sinceSeq`. Best effort:
   * should the insert fail, readers wait out the gap timeout as for any hole.
   */
  async function fillForumSeqs(forumId: string, topicId: string, from: number, to: number) {
    const rows = [];
    for (let forumSeq = from; forumSeq <= to; forumSeq++) {
      const data = { topicId, forumId, seq: 0, forumSeq };
      rows.push({ topicId: new Types.ObjectId(topicId), forumId: new Types.ObjectId(forumId), seq: -forumSeq, forumSeq, type: 'noop', data: JSON.stringify(data), at: now() });
    }
    await Event.collection.insertMany(rows, { ordered: false }).catch(() => {});
  }

  return { claim };
}

/**
 * Set on a claim's error when the writer named the forum and the forum's update went through
 * although the topic's did not (the topic is gone): the forum's counters and summary are the
 * writer's to undo.
 */
export type ForumTouched = Error & { forumTouched?: string };

/** The fields a claim reads back, as the driver returns them. */
interface TopicRow {
  _id: Types.ObjectId;
  forumId: Types.ObjectId;
  seq: number;
  postNumbers: number;
  postCount: number;
  title: string;
  locked?: boolean;
  deleted?: boolean;
}
interface ForumRow {
  seq: number;
  permissions?: unknown;
}

function sum(incs: Array<Record<string, number> | undefined>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const inc of incs) for (const [key, n] of Object.entries(inc ?? {})) total[key] = (total[key] ?? 0) + n;
  return total;
}

function merge(sets: Array<Record<string, unknown> | undefined>): Record<string, unknown> {
  return Object.assign({}, ...sets.filter(Boolean));
}
