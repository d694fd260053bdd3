import type { Models } from '../models/index.js';
import type { ForumAccessRecord } from './access.service.js';

/** What the access checks need to know of a topic. */
export interface TopicFacts {
  forumId: string;
  locked: boolean;
  /** Soft-deleted: not found but for moderators, and no one replies. */
  deleted: boolean;
  title: string;
  /** Who started it (its author hears of replies). */
  authorId: string;
}

/** A topic's facts as read from the database (the cache's and the uncached path's one reader). */
export async function readTopicFacts(models: Pick<Models, 'Topic'>, topicId: string): Promise<TopicFacts | null> {
  const t = await models.Topic.findById(topicId, { forumId: 1, locked: 1, deleted: 1, title: 1, authorId: 1 }).lean();
  return t && { forumId: String(t.forumId), locked: !!t.locked, deleted: !!t.deleted, title: t.title, authorId: String(t.authorId) };
}

export type ForgetKind = 'topic' | 'forum';

/**
 * Topic facts (forum, lock, title) and forum permissions, kept in memory for the checks that
 * every post and every subscribe makes: without it, each one reads both records first (two of
 * a post's seven round trips, half of a reconnect's reads).
 *
 * Kept exact by forgetting: the services that change these records call `forget` right after
 * the change, which also reaches the other nodes (see app.ts: through the Socket.IO adapter),
 * and every entry expires after `ttlMs` in case such a message is lost. The post path does not
 * even rely on that: it checks again against the records its seq claim returns (see
 * post.service.ts), so a stale entry costs a retry there, never a wrong answer.
 */
export function createAccessCache({ models, ttlMs = 30_000, maxEntries = 20_000, now = Date.now }: { models: Models; ttlMs?: number; maxEntries?: number; now?: () => number }) {
  type Entry<T> = { value: Promise<T | null>; at: number };
  const topics = new Map<string, Entry<TopicFacts>>();
  const forums = new Map<string, Entry<ForumAccessRecord>>();
  const listeners: Array<(kind: ForgetKind, id: string) => void> = [];

  function cached<T>(map: Map<string, Entry<T>>, id: string, read: () => Promise<T | null>): Promise<T | null> {
    const t = now();
    const hit = map.get(id);
    if (hit && t - hit.at <= ttlMs) return hit.value;
    if (map.size >= maxEntries) map.clear(); // crude, and rare: a board with that many hot records
    const value = read();
    const entry = { value, at: t };
    map.set(id, entry);
    // Misses and failures are not kept: a topic may appear, a read may fail once.
    value.then(
      (v) => v === null && map.get(id) === entry && map.delete(id),
      () => map.get(id) === entry && map.delete(id),
    );
    return value;
  }

  function forgetHere(kind: ForgetKind, id: string) {
    (kind === 'topic' ? topics : forums).delete(id);
  }

  return {
    topic(topicId: string): Promise<TopicFacts | null> {
      return cached(topics, topicId, () => readTopicFacts(models, topicId));
    },
    forum(forumId: string): Promise<ForumAccessRecord | null> {
      // An async function: a mongoose query is a thenable that runs again on every `then`.
      return cached(forums, forumId, async () => models.Forum.findById(forumId, { permissions: 1, approvePosts: 1 }).lean());
    },
    /** A record changed here: drop it on this node and tell the others. */
    forget(kind: ForgetKind, id: string) {
      forgetHere(kind, id);
      for (const l of listeners) l(kind, id);
    },
    /** A record changed on another node. */
    forgetHere,
    onForget(listener: (kind: ForgetKind, id: string) => void) {
      listeners.push(listener);
    },
  };
}
export type AccessCache = ReturnType<typeof createAccessCache>;

/** Whether two permission records allow the same (compared as stored). */
export function samePermissions(a: ForumAccessRecord['permissions'], b: ForumAccessRecord['permissions']): boolean {
  const norm = (p: ForumAccessRecord['permissions']) => JSON.stringify({ read: p?.read ?? null, post: p?.post ?? null, reply: p?.reply ?? null });
  return norm(a) === norm(b);
}
