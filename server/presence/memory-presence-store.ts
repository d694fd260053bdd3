import { withHidden } from './visitor.js';
import type { HttpPresence, PresenceStore, SocketPresence, TopicView } from './presence-store.js';

/** Presence for a single node, in process memory, with a topic -> sockets index. */
export function createMemoryPresenceStore(): PresenceStore {
  const sockets = new Map<string, SocketPresence>();
  const byTopic = new Map<string, Set<string>>();
  const http = new Map<string, HttpPresence>();

  const copy = (s: SocketPresence): SocketPresence => ({ ...s, topics: { ...s.topics } });

  function unindex(socketId: string, topicId: string) {
    const set = byTopic.get(topicId);
    if (!set) return;
    set.delete(socketId);
    if (set.size === 0) byTopic.delete(topicId);
  }

  return {
    addSocket(entry) {
      sockets.set(entry.socketId, copy(entry));
      for (const topicId of Object.keys(entry.topics)) {
        const set = byTopic.get(topicId) ?? new Set<string>();
        set.add(entry.socketId);
        byTopic.set(topicId, set);
      }
    },
    setSocketTopic(socketId, view: TopicView) {
      const s = sockets.get(socketId);
      if (!s || s.departedAt !== undefined) return false;
      s.topics[view.topicId] = { ...view };
      const set = byTopic.get(view.topicId) ?? new Set<string>();
      set.add(socketId);
      byTopic.set(view.topicId, set);
      return true;
    },
    clearSocketTopic(socketId, topicId) {
      const s = sockets.get(socketId);
      if (!s || !(topicId in s.topics)) return false;
      delete s.topics[topicId];
      unindex(socketId, topicId);
      return true;
    },
    setSocketForumPage(socketId, view) {
      const s = sockets.get(socketId);
      if (!s || s.departedAt !== undefined) return false;
      if (view) s.forumPage = { ...view };
      else delete s.forumPage;
      return true;
    },
    touchSocket(socketId, at) {
      const s = sockets.get(socketId);
      if (s && at > s.lastActive) s.lastActive = at;
    },
    setSocketHidden(socketId, hidden) {
      const s = sockets.get(socketId);
      if (!s?.visitor.user) return undefined;
      s.visitor = withHidden(s.visitor, hidden);
      return copy(s);
    },
    markSocketDeparted(socketId, at) {
      const s = sockets.get(socketId);
      if (!s) return undefined;
      s.departedAt ??= at;
      return copy(s);
    },
    removeSocket(socketId) {
      const s = sockets.get(socketId);
      if (!s) return undefined;
      sockets.delete(socketId);
      for (const topicId of Object.keys(s.topics)) unindex(socketId, topicId);
      return s;
    },
    recordHttp(visitor, at, expiredBefore, place, replaces) {
      const prev = http.get(visitor.key);
      const fresh = !prev || prev.lastActive <= expiredBefore;
      const entry: HttpPresence = { visitor, since: fresh ? at : prev.since, lastActive: fresh ? at : Math.max(prev.lastActive, at) };
      if (place && 'topic' in place) entry.topic = { ...place.topic };
      else if (place) entry.forumPage = { ...place.forumPage };
      else if (!fresh) Object.assign(entry, prev.topic && { topic: prev.topic }, prev.forumPage && { forumPage: prev.forumPage });
      http.set(visitor.key, entry);
      return replaces !== undefined && http.delete(replaces);
    },
    forgetHttp(key) {
      return http.delete(key);
    },
    expireHttp(cutoff) {
      const gone: HttpPresence[] = [];
      for (const [key, entry] of http) {
        if (entry.lastActive <= cutoff) {
          http.delete(key);
          gone.push(entry);
        }
      }
      return gone;
    },
    topicSockets(topicId) {
      return [...(byTopic.get(topicId) ?? [])].flatMap((id) => {
        const s = sockets.get(id);
        return s ? [copy(s)] : [];
      });
    },
    sockets: () => [...sockets.values()].map(copy),
    httpVisitors: (cutoff) => [...http.values()].filter((e) => e.lastActive > cutoff).map((e) => ({ ...e })),
  };
}
