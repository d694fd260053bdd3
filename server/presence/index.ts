import { op } from '../db/connect.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Models } from '../models/index.js';
import type { RedisConnection } from '../db/redis.js';
import type { TypingEvent } from '../../shared/schemas.js';
import { createCrawlerDetector } from './crawlers.js';
import { createHiddenLookup } from './hidden-lookup.js';
import { createMemoryPresenceStore } from './memory-presence-store.js';
import type { PresenceStore } from './presence-store.js';
import { createRedisPresenceStore } from './redis-presence-store.js';
import { createPresenceService, type PresenceSink } from './presence.service.js';
import { createTypingService } from './typing.service.js';

/**
 * Presence and typing, wired; `close()` stops every timer. The store is shared in Redis when
 * `redis` is given (several nodes: each recomputes the board-wide views when another node
 * announces a change), else in memory. Typing stays per node: its events cross nodes as
 * room broadcasts anyway.
 */
export function createPresence({ config, logger, models, sink, redis, store, onOnlineTotal }: {
  config: Config;
  logger: Logger;
  models: Models;
  sink: PresenceSink & { typing(event: TypingEvent): void };
  redis?: { connection: RedisConnection; prefix: string };
  store?: PresenceStore;
  onOnlineTotal?: (total: number) => void;
}) {
  const shared = redis ? createRedisPresenceStore({ redis: redis.connection, prefix: redis.prefix, nodeTtlMs: config.nodeTtlMs, logger }) : null;
  store ??= shared ?? createMemoryPresenceStore();
  const service = createPresenceService({
    store,
    sink,
    isHidden: createHiddenLookup({ models }),
    detectCrawler: createCrawlerDetector(config.crawlers),
    graceMs: config.presenceGraceMs,
    onlineWindowMs: config.onlineWindowMs,
    listLimit: config.presenceListLimit,
    logger: logger.child({ part: 'presence' }),
    onOnlineTotal,
    topicTitles: async (topicIds) => new Map((await models.Topic.find({ _id: op({ $in: topicIds }) }, { title: 1 }).lean()).map((t) => [String(t._id), t.title])),
    forumTitles: async (forumIds) => new Map((await models.Forum.find({ _id: op({ $in: forumIds }) }, { title: 1 }).lean()).map((f) => [String(f._id), f.title])),
  });
  shared?.onRemoteChange((change) => service.refresh(change));
  const typing = createTypingService({ sink });
  return {
    service,
    typing,
    /** Stops the timers; with Redis, also takes this node's visitors out of the shared store. */
    async close(): Promise<void> {
      service.close();
      typing.close();
      await shared?.close();
    },
  };
}
export type Presence = ReturnType<typeof createPresence>;
