import { Types } from 'mongoose';
import { derivedId } from '../db/derived-id.js';
import type { Models } from '../models/index.js';
import { isDuplicateKey, notFound } from '../errors.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import { policy } from './policy.js';

/** How long a topic's watchers are trusted from memory without a word from another node. */
const WATCHERS_TTL_MS = 60_000;
/** Topics whose watchers this node keeps in memory, past which it starts over. */
const WATCHERS_CACHED_MAX = 10_000;

const watchIdFor = (userId: string, topicId: string) => derivedId('watch', userId, topicId);

/**
 * Watching topics: a member who watches one is told of its replies (see notification.service).
 * Every new post asks for its topic's watchers, so they are kept in memory per topic (a busy
 * topic costs one read a minute, not one per post); a change here forgets the topic at once,
 * and `onChange` lets the other nodes forget it too (app.ts, through the Socket.IO adapter).
 */
export function createWatchService({ models, access }: { models: Models; access: Pick<AccessService, 'requireRead'> }) {
  const { TopicWatch, Topic } = models;
  const cached = new Map<string, { ids: string[]; at: number }>();
  const changeListeners: Array<(topicId: string) => void> = [];
  /** Bumped by every change: a read of watchers that a change overtook is not kept. */
  let epoch = 0;

  function forgetHere(topicId: string): void {
    epoch++;
    cached.delete(topicId);
  }

  async function readableTopic(member: AuthUser, topicId: string): Promise<void> {
    const topic = await Topic.findById(topicId, { forumId: 1, deleted: 1 }).lean();
    if (!topic || (topic.deleted && !policy.isModerator(member))) throw notFound('Topic');
    policy.requireForum(member, String(topic.forumId));
    await access.requireRead(member, String(topic.forumId));
  }

  function changed(topicId: string): void {
    forgetHere(topicId);
    for (const l of changeListeners) l(topicId);
  }

  return {
    /** PUT /topics/:topicId/watch: watch a topic one may read. */
    async watch(user: AuthUser | null, topicId: string): Promise<{ topicId: string; watching: boolean }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      await readableTopic(member, topicId);
      await TopicWatch.updateOne(
        { _id: watchIdFor(member.id, topicId) },
        { $setOnInsert: { userId: new Types.ObjectId(member.id), topicId: new Types.ObjectId(topicId), at: new Date() } },
        { upsert: true },
      ).catch((err) => (isDuplicateKey(err) ? undefined : Promise.reject(err))); // a concurrent twin made it
      changed(topicId);
      return { topicId, watching: true };
    },

    /** DELETE /topics/:topicId/watch: stop watching (watching or not before). */
    async unwatch(user: AuthUser | null, topicId: string): Promise<{ topicId: string; watching: boolean }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      await TopicWatch.deleteOne({ _id: watchIdFor(member.id, topicId) });
      changed(topicId);
      return { topicId, watching: false };
    },

    /** Whether the member watches the topic (one read by `_id`). */
    async isWatching(userId: string, topicId: string): Promise<boolean> {
      return !!(await TopicWatch.exists({ _id: watchIdFor(userId, topicId) }));
    },

    /** The topic's watchers, from memory when this node read them in the last minute. */
    async watchersOf(topicId: string): Promise<string[]> {
      const hit = cached.get(topicId);
      if (hit && Date.now() - hit.at < WATCHERS_TTL_MS) return hit.ids;
      const before = epoch;
      const rows = await TopicWatch.find({ topicId }, { userId: 1 }).lean();
      const ids = rows.map((r) => String(r.userId));
      if (epoch !== before) return ids; // changed meanwhile: answer, but do not keep
      if (cached.size >= WATCHERS_CACHED_MAX) cached.clear();
      cached.set(topicId, { ids, at: Date.now() });
      return ids;
    },

    /** Called with a topic whose watchers changed on this node (to tell the other nodes). */
    onChange(listener: (topicId: string) => void): void {
      changeListeners.push(listener);
    },
    /** Another node changed a topic's watchers. */
    forgetHere,
  };
}
export type WatchService = ReturnType<typeof createWatchService>;
