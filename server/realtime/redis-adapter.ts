import { RedisAdapter } from '@socket.io/redis-adapter';
import type { BroadcastOptions, Room } from 'socket.io-adapter';
import type { Logger } from 'pino';
import { room } from '../../shared/rooms.js';
import type { RedisClient, RedisConnection } from '../db/redis.js';
import type { ForumServer } from './broadcaster.js';
import type { AccessCache } from '../services/access-cache.js';
import type { WatchService } from '../services/watch.service.js';
import type { NotificationService } from '../services/notification.service.js';

/** Requests between nodes (fetchSockets across the cluster) give up after this long. */
const REQUESTS_TIMEOUT_MS = 3_000;
/** After an outage, subscribed connections are asked to reconnect spread over this long. */
const CATCH_UP_SPREAD_MS = 1_000;

const localOnly = (opts: BroadcastOptions): BroadcastOptions => ({ ...opts, flags: { ...opts.flags, local: true } });

/**
 * The standard Socket.IO Redis adapter, kept useful while Redis is away:
 * - a publish that fails (Redis down) is logged, never an unhandled rejection, and the local
 *   part of every broadcast still goes out (the adapter emits locally itself);
 * - socketsJoin / socketsLeave / disconnectSockets act on this node's sockets at once, then
 *   travel to the other nodes (the stock adapter would do even the local part only on the
 *   round trip through Redis, so a ban would not bite during an outage);
 * - fetchSockets answers with this node's sockets when the other nodes cannot be asked.
 */
class ResilientRedisAdapter extends RedisAdapter {
  constructor(nsp: unknown, pub: unknown, sub: unknown, opts: { key: string; requestsTimeout: number }, private readonly conn: RedisConnection, private readonly logger: Logger) {
    super(nsp, pub, sub, opts);
  }

  override async fetchSockets(opts: BroadcastOptions) {
    if (opts.flags?.local || !this.conn.up) return super.fetchSockets(localOnly(opts));
    try {
      return await super.fetchSockets(opts);
    } catch (err) {
      this.logger.warn({ err }, 'fetchSockets across nodes failed: answering with this node\'s sockets only');
      return super.fetchSockets(localOnly(opts));
    }
  }

  override addSockets(opts: BroadcastOptions, rooms: Room[]) {
    super.addSockets(localOnly(opts), rooms);
    if (!opts.flags?.local && this.conn.up) super.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]) {
    super.delSockets(localOnly(opts), rooms);
    if (!opts.flags?.local && this.conn.up) super.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean) {
    super.disconnectSockets(localOnly(opts), close);
    if (!opts.flags?.local && this.conn.up) super.disconnectSockets(opts, close);
  }
}

/**
 * Forward everything to the client, but let the commands the adapter fires without awaiting
 * (publish, (un)subscribe) report a failure instead of rejecting unobserved, which would end
 * the process.
 */
function withCaughtCommands(client: RedisClient, commands: string[], onError: (err: unknown) => void): RedisClient {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const bound = value.bind(target) as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !commands.includes(prop)) return bound;
      return (...args: unknown[]) => Promise.resolve(bound(...args)).catch((err: unknown) => (onError(err), undefined));
    },
  });
}

/**
 * Put a Socket.IO server on Redis: rooms, broadcasts, fetchSockets and disconnectSockets work
 * across every node sharing `key`. After a Redis outage, this node's subscribed connections
 * may have missed other nodes' events, so they are asked to reconnect: the SDK (and any
 * client following the protocol) resubscribes with its `sinceSeq` and catches up from the
 * event log. Returns a function that stops watching.
 */
export function attachRedisAdapter(io: ForumServer, conn: RedisConnection, { key, logger }: { key: string; logger: Logger }): () => void {
  const log = logger.child({ part: 'redis-adapter' });
  let dropped = 0;
  const pub = withCaughtCommands(conn.client, ['publish'], (err) => {
    if (dropped++ === 0) log.warn({ err }, 'cross-node publish failed (Redis unavailable): other nodes miss it until their clients catch up');
  });
  const sub = withCaughtCommands(conn.subscriber, ['subscribe', 'pSubscribe', 'unsubscribe', 'pUnsubscribe'], (err) =>
    log.debug({ err }, 'adapter (un)subscribe failed (Redis unavailable); the driver resubscribes on reconnect'),
  );
  // Socket.IO calls the adapter with `new`: a plain function (not an arrow) that returns the instance.
  const adapter = function (nsp: unknown) {
    return new ResilientRedisAdapter(nsp, pub, sub, { key, requestsTimeout: REQUESTS_TIMEOUT_MS }, conn, log);
  };
  io.adapter(adapter as never);

  const timers = new Set<NodeJS.Timeout>();
  const stop = conn.onRecovered((downSince) => {
    if (dropped) log.warn({ dropped }, 'cross-node publishes dropped during the Redis outage');
    dropped = 0;
    const isFeed = (name: string) => name.startsWith(room.topic('')) || name.startsWith(room.forum(''));
    const targets = [...io.of('/').sockets.values()].filter((s) => [...s.rooms].some(isFeed));
    log.warn({ connections: targets.length, downMs: Date.now() - downSince }, 'asking subscribed connections to reconnect and catch up from the event log');
    const batches = Math.max(1, Math.min(20, targets.length));
    const size = Math.ceil(targets.length / batches);
    for (let i = 0; i < batches; i++) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        for (const s of targets.slice(i * size, (i + 1) * size)) if (s.connected) s.disconnect(true);
      }, (i * CATCH_UP_SPREAD_MS) / batches);
      timers.add(timer);
    }
  });
  return () => {
    stop();
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}

/** A member's unread reply notifications changed on one node (a mark-read): every node forgets what it remembered of them. */
export function shareNotificationForgets(io: ForumServer, notifications: Pick<NotificationService, 'onForget' | 'forgetHere'>, logger: Logger) {
  notifications.onForget((userId) => {
    try {
      io.serverSideEmit('notifications:forget', userId);
    } catch (err) {
      logger.warn({ err, userId }, 'could not tell the other nodes to forget unread reply notifications');
    }
  });
  io.on('notifications:forget', (userId: string) => notifications.forgetHere(userId));
}

/** Who watches a topic or forum changed on one node: every node drops its cached watchers of it (Redis down: they still expire). */
export function shareWatchChanges(io: ForumServer, watches: Pick<WatchService, 'onChange' | 'forgetHere'>, logger: Logger) {
  watches.onChange((key) => {
    try {
      io.serverSideEmit('watches:changed', key);
    } catch (err) {
      logger.warn({ err, key }, 'could not tell the other nodes of a watch change');
    }
  });
  io.on('watches:changed', (key: string) => watches.forgetHere(key));
}

/**
 * Several nodes: a change to a topic's facts or a forum's permissions made on one node is
 * forgotten by the access caches of the others too (Redis down: each entry still expires).
 */
export function shareAccessCacheForgets(io: ForumServer, cache: Pick<AccessCache, 'onForget' | 'forgetHere'>, logger: Logger) {
  cache.onForget((kind, id) => {
    try {
      io.serverSideEmit('access:forget', kind, id);
    } catch (err) {
      logger.warn({ err, kind, id }, 'could not tell the other nodes to forget a cached record');
    }
  });
  io.on('access:forget', (kind: 'topic' | 'forum', id: string) => cache.forgetHere(kind, id));
}
