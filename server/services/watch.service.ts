import { Types } from 'mongoose';
import { derivedId } from '../db/derived-id.js';
import type { Models } from '../models/index.js';
import { isDuplicateKey, notFound } from '../errors.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import { policy } from './policy.js';

/** A topic (told of its replies) or a forum (told of its new topics). */
export type WatchKind = 'topic' | 'forum';

/** How long watchers are trusted from memory without a word from another node. */
const WATCHERS_TTL_MS = 60_000;
/** Topics and forums whose watchers this node keeps in memory, past which it starts over. */
const WATCHERS_CACHED_MAX = 10_000;

const watchIdFor = (kind: WatchKind, userId: string, targetId: string) => derivedId('watch', kind, userId, targetId);
const cacheKey = (kind: WatchKind, targetId: string) => `${kind}:${targetId}`;

/**
 * Watching topics and forums: a member watching a topic is told of its replies, one watching a
 * forum of its new topics (see notification.service). Every new post asks for its watchers, so
 * they are kept in memory per topic and forum (a busy one costs one read a minute, not one per
 * post); a change here forgets them at once, and `onChange` lets the other nodes forget them
 * too (app.ts, through the Socket.IO adapter).
 */
export function createWatchService({ models, access }: { models: Models; access: Pick<AccessService, 'requireRead'> }) {
  const { Watch, Topic } = models;
  const cached = new Map<string, { ids: string[]; at: number }>();
  const changeListeners: Array<(key: string) => void> = [];
  /** Bumped by every change: a read of watchers that a change overtook is not kept. */
  let epoch = 0;

  /** Forget the watchers cached under `key` (`<kind>:<id>`). */
  function forgetHere(key: string): void {
    epoch++;
    cached.delete(key);
  }

  /** The forum a member may read that they ask to watch (the topic's, for a topic). */
  async function requireReadable(member: AuthUser, kind: WatchKind, targetId: string): Promise<void> {
    let forumId = targetId;
    if (kind === 'topic') {
      const topic = await Topic.findById(targetId, { forumId: 1, deleted: 1 }).lean();
      if (!topic || (topic.deleted && !policy.isModerator(member))) throw notFound('Topic');
      forumId = String(topic.forumId);
    }
    policy.requireForum(member, forumId);
    await access.requireRead(member, forumId); // NOT_FOUND for an unknown forum
  }

  function changed(kind: WatchKind, targetId: string): void {
    const key = cacheKey(kind, targetId);
    forgetHere(key);
    for (const l of changeListeners) l(key);
  }

  return {
    /** PUT /topics/:topicId/watch, PUT /forums/:forumId/watch: watch what one may read. */
    async watch(user: AuthUser | null, kind: WatchKind, targetId: string): Promise<{ watching: boolean }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      await requireReadable(member, kind, targetId);
      await Watch.updateOne(
        { _id: watchIdFor(kind, member.id, targetId) },
        { $setOnInsert: { kind, userId: new Types.ObjectId(member.id), targetId: new Types.ObjectId(targetId), at: new Date() } },
        { upsert: true },
      ).catch((err) => (isDuplicateKey(err) ? undefined : Promise.reject(err))); // a concurrent twin made it
      changed(kind, targetId);
      return { watching: true };
    },

    /** DELETE .../watch: stop watching (watching or not before). */
    async unwatch(user: AuthUser | null, kind: WatchKind, targetId: string): Promise<{ watching: boolean }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      await Watch.deleteOne({ _id: watchIdFor(kind, member.id, targetId) });
      changed(kind, targetId);
      return { watching: false };
    },

    /** Whether the member watches it (one read by `_id`). */
    async isWatching(userId: string, kind: WatchKind, targetId: string): Promise<boolean> {
      return !!(await Watch.exists({ _id: watchIdFor(kind, userId, targetId) }));
    },

    /** Its watchers, from memory when this node read them in the last minute. */
    async watchersOf(kind: WatchKind, targetId: string): Promise<string[]> {
      const key = cacheKey(kind, targetId);
      const hit = cached.get(key);
      if (hit && Date.now() - hit.at < WATCHERS_TTL_MS) return hit.ids;
      const before = epoch;
      const rows = await Watch.find({ targetId, kind }, { userId: 1 }).lean();
      const ids = rows.map((r) => String(r.userId));
      if (epoch !== before) return ids; // changed meanwhile: answer, but do not keep
      if (cached.size >= WATCHERS_CACHED_MAX) cached.clear();
      cached.set(key, { ids, at: Date.now() });
      return ids;
    },

    /** Called with the cache key (`<kind>:<id>`) of watchers that changed on this node (to tell the other nodes). */
    onChange(listener: (key: string) => void): void {
      changeListeners.push(listener);
    },
    /** Another node changed these watchers. */
    forgetHere,
  };
}
export type WatchService = ReturnType<typeof createWatchService>;
