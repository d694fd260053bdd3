import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import type { RedisConnection } from '../db/redis.js';
import { createMemoryPresenceStore } from './memory-presence-store.js';
import { withHidden } from './visitor.js';
import type { ForumView, HttpPresence, PresenceStore, SocketPresence, TopicView, Visitor } from './presence-store.js';
import { ALL_SOCKETS_SCRIPT, EXPIRE_HTTP_SCRIPT, FORGET_HTTP_SCRIPT, HTTP_VISITORS_SCRIPT, PRUNE_NODES_SCRIPT, RECORD_HTTP_SCRIPT, TOPIC_SOCKETS_SCRIPT } from './redis-presence-scripts.js';

/** What changed on another node (or which node came or went): recompute these views. */
export interface PresenceChange {
  /** Topics this node has viewers of whose view may have changed. */
  topics: string[];
  /** Who-is-online may have changed (the moderators' detail always may). */
  online: boolean;
}

/** Invalidations of one node are sent at most this often, batched. */
const ANNOUNCE_EVERY_MS = 50;
/** A shared read slower than this answers from this node's own state. */
const READ_TIMEOUT_MS = 2_000;

interface Announcement {
  node: string;
  topics: string[];
  online: boolean;
}

/**
 * Presence shared by every node through Redis. Each node writes only its own sockets, under
 * keys of its own, and keeps a heartbeat key alive (TTL `nodeTtlMs`); reads take the sockets of
 * live nodes only, so a node that dies drops out of who-is-online within the TTL whatever
 * happened to its keys. HTTP visitors are board-wide (any node may see the next request).
 *
 * This node's state is also kept in memory: it is written through to Redis, rewritten in
 * full whenever Redis lost it (a restart, an outage, or this node being taken for dead), and
 * answers reads while Redis is away (then only this node's visitors show).
 *
 * Every change is announced on a channel; `onRemoteChange` hears other nodes' changes and
 * nodes coming and going, so each node can recompute and push the views its clients follow.
 */
export function createRedisPresenceStore({ redis, prefix, nodeTtlMs, logger, nodeId = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}` }: {
  redis: RedisConnection;
  prefix: string;
  nodeTtlMs: number;
  logger: Logger;
  nodeId?: string;
}): PresenceStore & { nodeId: string; onRemoteChange(listener: (change: PresenceChange) => void): void; close(): Promise<void> } {
  const log = logger.child({ part: 'redis-presence', node: nodeId });
  const { client, subscriber } = redis;
  const node = `${prefix}:node:${nodeId}`;
  const keys = {
    nodes: `${prefix}:nodes`,
    alive: `${node}:alive`,
    sockets: `${node}:sockets`,
    topic: (topicId: string) => `${node}:topic:${topicId}`,
    channel: `${prefix}:changed`,
  };
  /** Keys of this node outlive a missed heartbeat or two, then go by themselves. */
  const keyTtlMs = nodeTtlMs * 2;

  const mine = new Map<string, SocketPresence>();
  const localHttp = createMemoryPresenceStore();
  const listeners = new Set<(change: PresenceChange) => void>();
  let liveNodes = '';
  /** Redis may not hold this node's state: rewrite it at the next chance. */
  let dirty = true;
  let registered = false;
  let closed = false;
  let degradedLogged = false;

  const copy = (s: SocketPresence): SocketPresence => ({ ...s, topics: { ...s.topics } });
  const failed = (what: string) => (err: unknown) => {
    dirty = true;
    log.debug({ err, what }, 'presence write failed; will rewrite this node\'s presence when Redis is back');
  };
  /** Topic -> how many of this node's sockets view it: the views this node has clients for. */
  const viewed = new Map<string, number>();
  const myTopics = () => new Set(viewed.keys());
  function count(topicId: string, delta: 1 | -1) {
    const n = (viewed.get(topicId) ?? 0) + delta;
    if (n > 0) viewed.set(topicId, n);
    else viewed.delete(topicId);
  }

  // ---- announcing changes ------------------------------------------------------------------
  let pending: { topics: Set<string>; online: boolean } | null = null;
  function announce(topics: Iterable<string>, online: boolean) {
    if (closed) return;
    if (!pending) {
      pending = { topics: new Set(), online: false };
      setTimeout(flushAnnouncement, ANNOUNCE_EVERY_MS).unref();
    }
    for (const t of topics) pending.topics.add(t);
    pending.online ||= online;
  }
  function flushAnnouncement() {
    const batch = pending;
    pending = null;
    if (!batch || !client.isReady) return;
    const message: Announcement = { node: nodeId, topics: [...batch.topics], online: batch.online };
    client.publish(keys.channel, JSON.stringify(message)).catch(failed('announce'));
  }
  function notify(change: PresenceChange) {
    for (const l of listeners) l(change);
  }
  function onAnnouncement(raw: string) {
    let msg: Announcement;
    try {
      msg = JSON.parse(raw) as Announcement;
    } catch {
      return;
    }
    if (msg.node === nodeId || !Array.isArray(msg.topics)) return;
    notify({ topics: msg.topics.filter((t) => viewed.has(t)), online: Boolean(msg.online) });
  }

  // ---- writing this node's state -------------------------------------------------------------
  function writeSocket(s: SocketPresence, addedTopic?: string) {
    if (closed) return;
    if (!client.isReady) return void (dirty = true);
    const m = client.multi().hSet(keys.sockets, s.socketId, JSON.stringify(s)).pExpire(keys.sockets, keyTtlMs);
    if (addedTopic) m.sAdd(keys.topic(addedTopic), s.socketId).pExpire(keys.topic(addedTopic), keyTtlMs);
    m.exec().catch(failed('socket'));
  }

  /** Replace whatever Redis holds for this node with the memory copy, in one transaction. */
  async function rewrite() {
    const m = client.multi().del(keys.sockets);
    const byTopic = new Map<string, string[]>();
    for (const s of mine.values()) {
      m.hSet(keys.sockets, s.socketId, JSON.stringify(s));
      for (const t of Object.keys(s.topics)) {
        const ids = byTopic.get(t) ?? [];
        ids.push(s.socketId);
        byTopic.set(t, ids);
      }
    }
    for (const [t, ids] of byTopic) m.del(keys.topic(t)).sAdd(keys.topic(t), ids).pExpire(keys.topic(t), keyTtlMs);
    m.pExpire(keys.sockets, keyTtlMs).sAdd(keys.nodes, nodeId).set(keys.alive, '1', { PX: nodeTtlMs });
    await m.exec();
    dirty = false;
  }

  async function heartbeat() {
    if (closed || !client.isReady) return;
    // SADD answers 1 when the node was not registered: Redis restarted, or we were taken for dead.
    const [added] = (await client.multi().sAdd(keys.nodes, nodeId).set(keys.alive, '1', { PX: nodeTtlMs }).exec()) as unknown as [number];
    if (added === 1 || dirty) {
      await rewrite();
      if (registered) log.info({ sockets: mine.size }, 'this node\'s presence rewritten to Redis');
      registered = true;
      announce(myTopics(), true);
    } else {
      const m = client.multi().pExpire(keys.sockets, keyTtlMs);
      for (const t of myTopics()) m.pExpire(keys.topic(t), keyTtlMs);
      await m.exec();
    }
  }

  /** Nodes that came or went (a dead node's heartbeat lapsed): every view may have changed. */
  async function watchNodes() {
    if (closed || !client.isReady) return;
    const live = ((await client.eval(PRUNE_NODES_SCRIPT, { arguments: [prefix] })) as string[]).sort().join('\n');
    if (liveNodes && live !== liveNodes) notify({ topics: [...myTopics()], online: true });
    liveNodes = live;
  }

  const beat = () => heartbeat().catch((err) => ((dirty = true), log.debug({ err }, 'presence heartbeat failed')));
  const watch = () => watchNodes().catch((err) => log.debug({ err }, 'presence node watch failed'));
  const heartbeatTimer = setInterval(beat, Math.max(100, Math.floor(nodeTtlMs / 3)));
  const watchTimer = setInterval(watch, Math.max(100, Math.min(1_000, Math.floor(nodeTtlMs / 4))));
  heartbeatTimer.unref();
  watchTimer.unref();
  void beat();
  const stopRecovery = redis.onRecovered(() => {
    dirty = true;
    void beat();
    // Changes made elsewhere during the outage were never announced: recompute everything.
    notify({ topics: [...myTopics()], online: true });
  });
  const subscribed = subscriber.subscribe(keys.channel, onAnnouncement).catch((err) => log.error({ err }, 'could not subscribe to presence changes'));

  // ---- reading the board-wide state -----------------------------------------------------------
  async function shared<T>(what: string, read: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (client.isReady) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const value = await Promise.race([
          read(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`Redis read timed out after ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
          }),
        ]);
        degradedLogged = false;
        return value;
      } catch (err) {
        if (!degradedLogged) log.warn({ err, what }, 'shared presence read failed: answering with this node\'s visitors only');
        degradedLogged = true;
      } finally {
        clearTimeout(timer);
      }
    } else if (!degradedLogged) {
      degradedLogged = true;
      log.warn({ what }, 'Redis unavailable: presence shows this node\'s visitors only');
    }
    return fallback();
  }
  const parseSockets = (rows: unknown) => (rows as string[]).map((r) => JSON.parse(r) as SocketPresence);
  const parseHttp = (rows: unknown) =>
    (rows as [string, string, string, string, string][]).flatMap(([last, since, visitor, topic, forumPage]): HttpPresence[] => {
      if (!visitor) return [];
      const entry: HttpPresence = { visitor: JSON.parse(visitor) as Visitor, since: Number(since), lastActive: Number(last) };
      if (topic) entry.topic = JSON.parse(topic) as TopicView;
      else if (forumPage) entry.forumPage = JSON.parse(forumPage) as ForumView;
      return [entry];
    });

  return {
    nodeId,

    addSocket(entry) {
      const s = copy(entry);
      const before = mine.get(s.socketId);
      if (before) for (const t of Object.keys(before.topics)) count(t, -1);
      mine.set(s.socketId, s);
      for (const t of Object.keys(s.topics)) count(t, 1);
      writeSocket(s);
      for (const t of Object.keys(s.topics)) writeSocket(s, t);
      announce(Object.keys(s.topics), true);
    },
    setSocketTopic(socketId, view) {
      const s = mine.get(socketId);
      if (!s || s.departedAt !== undefined) return false;
      if (!(view.topicId in s.topics)) count(view.topicId, 1);
      s.topics[view.topicId] = { ...view };
      writeSocket(s, view.topicId);
      announce([view.topicId], false);
      return true;
    },
    clearSocketTopic(socketId, topicId) {
      const s = mine.get(socketId);
      if (!s || !(topicId in s.topics)) return false;
      delete s.topics[topicId];
      count(topicId, -1);
      writeSocket(s);
      if (!closed && client.isReady) client.sRem(keys.topic(topicId), socketId).catch(failed('leave topic'));
      announce([topicId], false);
      return true;
    },
    setSocketForumPage(socketId, view) {
      const s = mine.get(socketId);
      if (!s || s.departedAt !== undefined) return false;
      if (view) s.forumPage = { ...view };
      else delete s.forumPage;
      writeSocket(s);
      announce([], false);
      return true;
    },
    touchSocket(socketId, at) {
      const s = mine.get(socketId);
      if (!s || at <= s.lastActive) return;
      s.lastActive = at;
      writeSocket(s);
      announce([], false);
    },
    setSocketHidden(socketId, hidden) {
      const s = mine.get(socketId);
      if (!s?.visitor.user) return undefined;
      s.visitor = withHidden(s.visitor, hidden);
      writeSocket(s);
      announce(Object.keys(s.topics), true);
      return copy(s);
    },
    markSocketDeparted(socketId, at) {
      const s = mine.get(socketId);
      if (!s) return undefined;
      s.departedAt ??= at;
      writeSocket(s);
      return copy(s);
    },
    removeSocket(socketId) {
      const s = mine.get(socketId);
      if (!s) return undefined;
      mine.delete(socketId);
      for (const t of Object.keys(s.topics)) count(t, -1);
      if (closed) return s;
      if (client.isReady) {
        const m = client.multi().hDel(keys.sockets, socketId);
        for (const t of Object.keys(s.topics)) m.sRem(keys.topic(t), socketId);
        m.exec().catch(failed('remove socket'));
      } else dirty = true;
      announce(Object.keys(s.topics), true);
      return s;
    },

    async recordHttp(visitor, at, expiredBefore, place, replaces) {
      const local = localHttp.recordHttp(visitor, at, expiredBefore, place, replaces);
      if (closed || !client.isReady) return local;
      const [topic, forumPage] = place && 'topic' in place ? [JSON.stringify(place.topic), ''] : ['', place ? JSON.stringify(place.forumPage) : ''];
      const args = [prefix, visitor.key, String(at), String(expiredBefore), JSON.stringify(visitor), topic, forumPage, replaces ?? ''];
      let replaced = local;
      try {
        replaced = (await client.eval(RECORD_HTTP_SCRIPT, { arguments: args })) === 1;
      } catch (err) {
        failed('http visit')(err);
      }
      announce([], true);
      return replaced;
    },
    async forgetHttp(key) {
      const local = localHttp.forgetHttp(key);
      if (closed || !client.isReady) return local;
      try {
        const was = (await client.eval(FORGET_HTTP_SCRIPT, { arguments: [prefix, key] })) === 1;
        if (was) announce([], true);
        return was;
      } catch (err) {
        failed('forget http')(err);
        return local;
      }
    },
    async expireHttp(cutoff) {
      const local = await localHttp.expireHttp(cutoff);
      if (!client.isReady) return local;
      try {
        const gone = parseHttp(await client.eval(EXPIRE_HTTP_SCRIPT, { arguments: [prefix, String(cutoff)] }));
        if (gone.length) announce([], true);
        return gone;
      } catch (err) {
        failed('expire http')(err);
        return local;
      }
    },

    topicSockets(topicId) {
      return shared(
        'topic viewers',
        // A socket that left the topic while a write failed may linger in the set: its record decides.
        async () => parseSockets(await client.eval(TOPIC_SOCKETS_SCRIPT, { arguments: [prefix, topicId] })).filter((s) => topicId in s.topics),
        () => [...mine.values()].filter((s) => topicId in s.topics).map(copy),
      );
    },
    sockets() {
      return shared('sockets', async () => parseSockets(await client.eval(ALL_SOCKETS_SCRIPT, { arguments: [prefix] })), () => [...mine.values()].map(copy));
    },
    httpVisitors(cutoff) {
      return shared('http visitors', async () => parseHttp(await client.eval(HTTP_VISITORS_SCRIPT, { arguments: [prefix, String(cutoff)] })), () => localHttp.httpVisitors(cutoff));
    },

    onRemoteChange(listener) {
      listeners.add(listener);
    },

    /** Leave the board: other nodes drop this node's visitors now rather than after the TTL. */
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeatTimer);
      clearInterval(watchTimer);
      stopRecovery();
      listeners.clear();
      await subscribed;
      if (subscriber.isReady) await subscriber.unsubscribe(keys.channel, onAnnouncement).catch(() => undefined);
      if (!client.isReady) return;
      try {
        const m = client.multi().sRem(keys.nodes, nodeId).del([keys.alive, keys.sockets, ...[...myTopics()].map(keys.topic)]);
        m.publish(keys.channel, JSON.stringify({ node: nodeId, topics: [...myTopics()], online: true } satisfies Announcement));
        await m.exec();
      } catch (err) {
        log.warn({ err }, 'could not remove this node\'s presence from Redis; it expires with the node TTL');
      }
    },
  };
}
