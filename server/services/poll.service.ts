import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import type { Poll, PollInput, Topic } from '../../shared/schemas.js';
import { derivedId } from '../db/derived-id.js';
import { op } from '../db/connect.js';
import { AppError, isDuplicateKey, notFound, topicIsDeleted } from '../errors.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import type { TopicChanges } from './topic-changes.js';
import type { ModlogService } from './modlog.service.js';
import { policy } from './policy.js';
import type { TopicRecordLike } from './views.js';

/** Tells the topic's room that its poll changed (realtime/poll-push.ts reads it and pushes, coalesced). */
export interface PollSink {
  changed(topicId: string): void;
}
export const noPollSink: PollSink = { changed() {} };

/** A change of vote that keeps meeting a concurrent change of the same vote is refused after this many tries. */
const VOTE_TRIES = 3;
const DAY_MS = 86_400_000;

interface StoredPoll {
  _id: unknown;
  topicId: unknown;
  question: string;
  options: Array<{ text: string; votes: number }>;
  maxChoices: number;
  allowVoteChange: boolean;
  results?: 'always' | 'closed' | null;
  voterCount: number;
  rev: number;
  createdAt: Date;
  closesAt?: Date | null;
}

const voteIdFor = (pollId: string, userId: string) => derivedId('poll-vote', pollId, userId);
const isClosed = (p: StoredPoll, now: Date) => !!p.closesAt && p.closesAt.getTime() <= now.getTime();

/** What everyone may see of a poll: the question, the options and their totals (unless hidden until it closes). */
function toPollView(p: StoredPoll, now: Date): Poll {
  const closed = isClosed(p, now);
  const results = p.results ?? 'always';
  const shown = results === 'always' || closed;
  return {
    id: String(p._id),
    topicId: String(p.topicId),
    question: p.question,
    options: p.options.map((o) => ({ text: o.text, votes: shown ? o.votes : null })),
    maxChoices: p.maxChoices,
    allowVoteChange: p.allowVoteChange,
    results,
    voterCount: p.voterCount,
    createdAt: p.createdAt.toISOString(),
    ...(p.closesAt && { closesAt: p.closesAt.toISOString() }),
    closed,
    rev: p.rev,
  };
}

/** `$inc` for a vote going from `before` to `after` (option indexes; [] is no vote). */
function totalsDelta(before: number[], after: number[]): Record<string, number> {
  const inc: Record<string, number> = { rev: 1 };
  for (const i of before) inc[`options.${i}.votes`] = (inc[`options.${i}.votes`] ?? 0) - 1;
  for (const i of after) inc[`options.${i}.votes`] = (inc[`options.${i}.votes`] ?? 0) + 1;
  const voters = (after.length ? 1 : 0) - (before.length ? 1 : 0);
  if (voters) inc.voterCount = voters;
  return inc;
}

const sameChoices = (a: number[], b: number[]) => a.length === b.length && a.every((c) => b.includes(c));

type Deps = {
  models: Models;
  /** Adding and removing a poll change the topic's document (`hasPoll`), one at a time per topic with other topic changes. */
  topicChanges: Pick<TopicChanges, 'serial' | 'change'>;
  access: Pick<AccessService, 'requireRead' | 'requireReply' | 'may'>;
  modlog: Pick<ModlogService, 'record'>;
  sink?: PollSink;
  now?: () => Date;
};

/**
 * Polls (phpBB's "Add a poll"): a topic has at most one, made with the topic or added later by
 * its author or a moderator. Members who may reply vote; each vote moves the totals in one
 * atomic update, and the topic's room is told of new totals at most every 250 ms (a vote is not
 * a logged topic event: the totals are state, and every push carries all of them). Adding or
 * removing a poll is a logged `topic:updated` (its `hasPoll`), so a client that missed it
 * learns of it by replay.
 */
export function createPollService({ models, topicChanges, access, modlog, sink = noPollSink, now = () => new Date() }: Deps) {
  const { Poll: PollModel, PollVote, Topic } = models;

  /** Store a new poll for this topic (the topic then names it); its id. */
  async function insertFor(topicId: Types.ObjectId | string, author: AuthUser, input: PollInput): Promise<Types.ObjectId> {
    const at = now();
    const doc = {
      _id: new Types.ObjectId(),
      topicId: new Types.ObjectId(String(topicId)),
      authorId: new Types.ObjectId(author.id),
      question: input.question,
      options: input.options.map((text) => ({ text, votes: 0 })),
      maxChoices: input.maxChoices,
      allowVoteChange: input.allowVoteChange,
      results: input.results,
      voterCount: 0,
      rev: 0,
      createdAt: at,
      ...(input.closesInDays && { closesAt: new Date(at.getTime() + input.closesInDays * DAY_MS) }),
    };
    await PollModel.collection.insertOne(doc);
    return doc._id;
  }

  /** Drop a poll and its votes (a topic that was not made after all, or a removed poll). */
  async function discard(pollId: Types.ObjectId | string | undefined): Promise<void> {
    if (!pollId) return;
    await PollModel.deleteOne({ _id: pollId });
    await PollVote.deleteMany({ pollId });
  }

  async function loadTopic(viewer: AuthUser | null, topicId: string) {
    const topic = await Topic.findById(topicId).lean();
    if (!topic || (topic.deleted && !policy.isModerator(viewer))) throw notFound('Topic');
    policy.requireForum(viewer, String(topic.forumId));
    await access.requireRead(viewer, String(topic.forumId));
    return topic;
  }

  async function loadPoll(pollId: unknown): Promise<StoredPoll> {
    const poll = pollId ? await PollModel.findById(pollId).lean() : null;
    if (!poll) throw notFound('Poll');
    return poll as StoredPoll;
  }

  /** The poll as a member sees it: with their choices and whether they may vote now. */
  async function personalView(viewer: AuthUser | null, topic: { forumId: unknown; authorId?: unknown; locked?: boolean | null; deleted?: boolean | null }, poll: StoredPoll, mine?: number[]): Promise<Poll> {
    const at = now();
    const view = toPollView(poll, at);
    if (!viewer) return view;
    const choices = mine ?? (await PollVote.findById(voteIdFor(String(poll._id), viewer.id), { choices: 1 }).lean())?.choices ?? [];
    const open = !view.closed && !topic.deleted && (!topic.locked || policy.isModerator(viewer));
    const vote =
      open && (!choices.length || poll.allowVoteChange) && policy.hasScope(viewer, 'post') && (await access.may(viewer, String(topic.forumId), 'reply'));
    return { ...view, myChoices: [...choices].sort((a, b) => a - b), may: { vote, close: mayClose(viewer, topic) } };
  }

  /** The topic's author (not in a locked or deleted topic) or a moderator may close and reopen its poll. */
  function mayClose(viewer: AuthUser, topic: { authorId?: unknown; locked?: boolean | null; deleted?: boolean | null }): boolean {
    if (!policy.hasScope(viewer, 'post')) return false;
    if (policy.isModerator(viewer)) return policy.hasScope(viewer, 'moderate');
    return String(topic.authorId) === viewer.id && !topic.locked && !topic.deleted;
  }

  /**
   * The topic's poll, for its author or a moderator to change (`what` names the change in the
   * refusal): the author not in a deleted or locked topic, a moderator (a token: `moderate`) anywhere.
   */
  async function forManager(user: AuthUser | null, topicId: string, what: string) {
    const actor = policy.requireMember(user);
    policy.requireScope(actor, 'post');
    const topic = await loadTopic(actor, topicId);
    const poll = await loadPoll(topic.pollId);
    const own = String(topic.authorId) === actor.id;
    if (policy.isModerator(actor)) {
      policy.requireScope(actor, 'moderate');
      return { actor, topic, poll, own, moderator: true };
    }
    if (!own) throw new AppError('FORBIDDEN', `Only the topic's author or a moderator may ${what}`);
    if (topic.deleted) throw notFound('Topic');
    if (topic.locked) throw new AppError('LOCKED', 'This topic is locked');
    return { actor, topic, poll, own, moderator: false };
  }

  /**
   * POST /topics/:topicId/poll/close and /reopen: close now (its `closesAt` becomes now), or open
   * a closed poll again with no end. Already so: answered as it stands. A moderator's change to
   * someone else's poll is logged.
   */
  async function setClosed(user: AuthUser | null, topicId: string, close: boolean): Promise<{ poll: Poll }> {
    const { actor, topic, poll, own } = await forManager(user, topicId, 'close or reopen its poll');
    const at = now();
    if (isClosed(poll, at) === close) return { poll: await personalView(actor, topic, poll) };
    const change = close ? { $set: { closesAt: at }, $inc: { rev: 1 } } : { $unset: { closesAt: 1 }, $inc: { rev: 1 } };
    const updated = await PollModel.findOneAndUpdate({ _id: poll._id }, change, { new: true }).lean();
    if (!updated) throw notFound('Poll');
    if (!own) await modlog.record({ action: close ? 'poll.close' : 'poll.reopen', actor, target: { type: 'topic', id: topicId }, details: { title: topic.title, question: poll.question } });
    sink.changed(topicId);
    return { poll: await personalView(actor, topic, updated as StoredPoll) };
  }

  /** Set or clear the topic's poll, logged as a `topic:updated`; null if the topic was not as expected. Call inside `topicChanges.serial`. */
  async function setTopicPoll(topicId: string, expected: Types.ObjectId | null, next: Types.ObjectId | null): Promise<Topic | null> {
    const done = await topicChanges.change(topicId, async (_, guard) => {
      const filter = guard.filter({ _id: topicId, pollId: expected ?? op({ $exists: false }) });
      return (await Topic.findOneAndUpdate(filter, guard.update(next ? { $set: { pollId: next } } : { $unset: { pollId: 1 } }), { new: true }).lean()) as TopicRecordLike | null;
    });
    return done?.topic ?? null;
  }

  /** POST /topics/:topicId/poll: the topic's author or a moderator adds a poll to a topic that has none. */
  async function addPoll(user: AuthUser | null, topicId: string, input: PollInput): Promise<{ poll: Poll; topic: Topic }> {
    const actor = policy.requireMember(user);
    policy.requireScope(actor, 'post');
    const topic = await loadTopic(actor, topicId);
    const moderator = policy.isModerator(actor);
    if (topic.deleted) throw topicIsDeleted();
    if (String(topic.authorId) !== actor.id && !moderator) throw new AppError('FORBIDDEN', "Only the topic's author or a moderator may add a poll");
    if (topic.locked && !moderator) throw new AppError('LOCKED', 'This topic is locked');
    if (topic.pollId) throw new AppError('CONFLICT', 'This topic already has a poll');
    const pollId = await insertFor(topicId, actor, input);
    const updated = await setTopicPoll(topicId, null, pollId).catch(async (err) => {
      await discard(pollId);
      throw err;
    });
    if (!updated) {
      await discard(pollId);
      throw new AppError('CONFLICT', 'This topic already has a poll');
    }
    sink.changed(topicId);
    return { poll: await personalView(actor, topic, await loadPoll(pollId), []), topic: updated };
  }

  /**
   * DELETE /topics/:topicId/poll: a moderator removes any poll (written to the moderation log
   * when not their own); the topic's author removes theirs while no one has voted.
   */
  async function removePoll(user: AuthUser | null, topicId: string): Promise<{ topicId: string; removed: true }> {
    const { actor, topic, poll, own, moderator } = await forManager(user, topicId, 'remove its poll');
    if (!moderator && poll.voterCount > 0) throw new AppError('FORBIDDEN', 'Members have voted: only a moderator may remove this poll now');
    const updated = await setTopicPoll(topicId, topic.pollId as Types.ObjectId, null);
    if (!updated) throw notFound('Poll'); // removed (or replaced) meanwhile
    await discard(String(poll._id));
    if (!own) await modlog.record({ action: 'poll.delete', actor, target: { type: 'topic', id: topicId }, details: { title: topic.title, question: poll.question } });
    sink.changed(topicId);
    return { topicId, removed: true };
  }

  return {
    insertFor,
    discard,

    /** GET /topics/:topicId/poll. */
    async get(viewer: AuthUser | null, topicId: string): Promise<{ poll: Poll }> {
      policy.requireScope(viewer, 'read');
      const topic = await loadTopic(viewer, topicId);
      return { poll: await personalView(viewer, topic, await loadPoll(topic.pollId)) };
    },

    /** For the topic page (GET /topics/:topicId), whose checks are done: the topic's poll, if any. */
    async forTopicPage(viewer: AuthUser | null, topic: { forumId: unknown; locked?: boolean | null; deleted?: boolean | null; pollId?: unknown }): Promise<Poll | undefined> {
      if (!topic.pollId) return undefined;
      const poll = await PollModel.findById(topic.pollId).lean();
      return poll ? personalView(viewer, topic, poll as StoredPoll) : undefined;
    },

    /** What a push carries: the totals, no one's own choices. Null when the topic has no poll. */
    async publicView(topicId: string): Promise<Poll | null> {
      const topic = await Topic.findById(topicId, { pollId: 1 }).lean();
      const poll = topic?.pollId ? await PollModel.findById(topic.pollId).lean() : null;
      return poll ? toPollView(poll as StoredPoll, now()) : null;
    },

    /** POST /topics/:topicId/poll (one at a time per topic with other topic changes). */
    async add(user: AuthUser | null, topicId: string, input: PollInput): Promise<{ poll: Poll; topic: Topic }> {
      return topicChanges.serial(topicId, () => addPoll(user, topicId, input));
    },

    /** DELETE /topics/:topicId/poll (likewise). */
    async remove(user: AuthUser | null, topicId: string): Promise<{ topicId: string; removed: true }> {
      return topicChanges.serial(topicId, () => removePoll(user, topicId));
    },

    /** POST /topics/:topicId/poll/close. */
    close: (user: AuthUser | null, topicId: string) => setClosed(user, topicId, true),

    /** POST /topics/:topicId/poll/reopen. */
    reopen: (user: AuthUser | null, topicId: string) => setClosed(user, topicId, false),

    /**
     * POST /topics/:topicId/poll/vote. A first vote is an insert on a derived `_id` (a concurrent
     * twin fails on it and is taken as a change); a change is a compare-and-set on the vote's
     * `rev`. Then the totals move by the difference, in one `$inc`.
     */
    async vote(user: AuthUser | null, topicId: string, choices: number[]): Promise<{ poll: Poll }> {
      const voter = policy.requireMember(user);
      policy.requireScope(voter, 'post');
      const topic = await loadTopic(voter, topicId);
      if (topic.deleted) throw topicIsDeleted();
      await access.requireReply(voter, String(topic.forumId));
      const poll = await loadPoll(topic.pollId);
      if (topic.locked && !policy.isModerator(voter)) throw new AppError('LOCKED', 'This topic is locked');
      if (isClosed(poll, now())) throw new AppError('LOCKED', 'This poll has closed');
      const tooHigh = choices.find((c) => c >= poll.options.length);
      if (tooHigh !== undefined) throw new AppError('BAD_REQUEST', `choices: there is no option ${tooHigh} (the options are 0 to ${poll.options.length - 1})`);
      if (choices.length > poll.maxChoices) throw new AppError('BAD_REQUEST', `choices: at most ${poll.maxChoices} in this poll`);

      const pollId = String(poll._id);
      const _id = voteIdFor(pollId, voter.id);
      for (let attempt = 0; attempt < VOTE_TRIES; attempt++) {
        const before = await PollVote.findById(_id).lean();
        const was = before?.choices ?? [];
        // The same vote again (a retry) is answered as it stands.
        if (sameChoices(was, choices)) return { poll: await personalView(voter, topic, await loadPoll(pollId), choices) };
        if (before && !poll.allowVoteChange) throw new AppError('CONFLICT', 'You have already voted in this poll');
        if (!before) {
          try {
            await PollVote.collection.insertOne({ _id, pollId: new Types.ObjectId(pollId), userId: new Types.ObjectId(voter.id), choices, rev: 1, at: now() });
          } catch (err) {
            if (isDuplicateKey(err)) continue; // a twin voted first: this is a change of its vote
            throw err;
          }
        } else {
          const swapped = choices.length
            ? (await PollVote.updateOne({ _id, rev: before.rev }, { $set: { choices, at: now() }, $inc: { rev: 1 } })).modifiedCount
            : (await PollVote.deleteOne({ _id, rev: before.rev })).deletedCount;
          if (!swapped) continue; // changed meanwhile: read it again
        }
        const updated = await PollModel.findOneAndUpdate({ _id: pollId }, { $inc: totalsDelta(was, choices) }, { new: true }).lean();
        if (!updated) {
          await PollVote.deleteOne({ _id }); // the poll was removed meanwhile
          throw notFound('Poll');
        }
        sink.changed(topicId);
        return { poll: await personalView(voter, topic, updated as StoredPoll, choices) };
      }
      throw new AppError('CONFLICT', 'Your vote was changing in another request; send it again');
    },

    /** Rebuild every poll's totals from its votes (recount). The number of polls whose totals were wrong. */
    async recount(): Promise<number> {
      let fixed = 0;
      for await (const p of PollModel.find({}, { options: 1, voterCount: 1 }).lean().cursor()) {
        const votes = await PollVote.find({ pollId: p._id }, { choices: 1 }).lean();
        const counts = p.options.map((_, i) => votes.filter((v) => v.choices.includes(i)).length);
        const voters = votes.filter((v) => v.choices.length > 0).length;
        if (voters === p.voterCount && counts.every((n, i) => n === p.options[i].votes)) continue;
        const set = Object.fromEntries(counts.map((n, i) => [`options.${i}.votes`, n]));
        await PollModel.updateOne({ _id: p._id }, { $set: { ...set, voterCount: voters }, $inc: { rev: 1 } });
        fixed++;
      }
      return fixed;
    },
  };
}
export type PollService = ReturnType<typeof createPollService>;
