import { createClient } from 'redis';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof createClient>;

export interface RedisConnection {
  /**
   * Commands and publishes. No offline queue: while Redis is away a command fails at once
   * instead of piling up in memory and firing stale on reconnect.
   */
  client: RedisClient;
  /** Subscriptions only (the Socket.IO adapter's and presence's); resubscribed by the driver after a reconnect. */
  subscriber: RedisClient;
  /** Both connections are ready. */
  readonly up: boolean;
  /** Runs each time Redis is reachable again after an outage, with when the outage began (ms). */
  onRecovered(listener: (downSince: number) => void): () => void;
  /** Close both connections; safe to call twice. */
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Hide a password in a URL before it reaches a log line. */
export const redactRedisUrl = (url: string) => url.replace(/\/\/([^@/]*)@/, '//***@');

/**
 * Connect the two Redis clients a node needs. Fails with one clear line when Redis cannot be
 * reached at start; after that, an outage is logged once when it begins and once when it ends
 * (the driver reconnects by itself, every 50-500 ms).
 */
export async function connectRedis({ url, logger, connectTimeoutMs = CONNECT_TIMEOUT_MS }: { url: string; logger: Logger; connectTimeoutMs?: number }): Promise<RedisConnection> {
  const log = logger.child({ part: 'redis' });
  const client: RedisClient = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5_000 } });
  const subscriber: RedisClient = client.duplicate({ disableOfflineQueue: false });
  const listeners = new Set<(downSince: number) => void>();
  let downSince: number | null = null;
  let started = false;
  let closed = false;

  function lost(err: unknown) {
    if (!started || closed) return;
    if (downSince === null) {
      downSince = Date.now();
      log.error({ err }, 'Redis connection lost: this node keeps serving its own clients; cross-node broadcasts and shared presence are paused until it returns');
    } else log.debug({ err }, 'Redis still unreachable');
  }
  function ready() {
    if (!started || closed || downSince === null || !client.isReady || !subscriber.isReady) return;
    const since = downSince;
    downSince = null;
    log.info({ downMs: Date.now() - since }, 'Redis is back: cross-node broadcasts and shared presence resume');
    for (const l of listeners) {
      try {
        l(since);
      } catch (err) {
        log.error({ err }, 'Redis recovery listener failed');
      }
    }
  }
  for (const c of [client, subscriber]) {
    c.on('error', lost);
    c.on('end', () => lost(new Error('connection ended')));
    c.on('ready', ready);
  }

  const disconnectBoth = () => Promise.allSettled([client.disconnect(), subscriber.disconnect()]);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all([client.connect(), subscriber.connect()]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis at ${redactRedisUrl(url)} is not reachable (waited ${connectTimeoutMs} ms)`)), connectTimeoutMs);
      }),
    ]);
  } catch (err) {
    closed = true;
    await disconnectBoth();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  started = true;
  log.info({ url: redactRedisUrl(url) }, 'connected to Redis');

  let closing: Promise<void> | null = null;
  return {
    client,
    subscriber,
    get up() {
      return client.isReady && subscriber.isReady;
    },
    onRecovered(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing ??= (async () => {
        closed = true;
        listeners.clear();
        // QUIT lets pending replies arrive; a client that is reconnecting is simply dropped.
        await Promise.allSettled([client, subscriber].map((c) => (c.isReady ? c.quit() : c.disconnect())));
        await disconnectBoth();
      })();
      return closing;
    },
  };
}
