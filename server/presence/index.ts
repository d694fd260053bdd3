import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Models } from '../models/index.js';
import type { TypingEvent } from '../../shared/schemas.js';
import { createCrawlerDetector } from './crawlers.js';
import { createHiddenLookup } from './hidden-lookup.js';
import { createMemoryPresenceStore } from './memory-presence-store.js';
import type { PresenceStore } from './presence-store.js';
import { createPresenceService, type PresenceSink } from './presence.service.js';
import { createTypingService } from './typing.service.js';

/** Presence and typing, wired; `close()` stops every timer. The store defaults to memory. */
export function createPresence({ config, logger, models, sink, store = createMemoryPresenceStore() }: {
  config: Config;
  logger: Logger;
  models: Models;
  sink: PresenceSink & { typing(event: TypingEvent): void };
  store?: PresenceStore;
}) {
  const service = createPresenceService({
    store,
    sink,
    isHidden: createHiddenLookup({ models }),
    detectCrawler: createCrawlerDetector(config.crawlers),
    graceMs: config.presenceGraceMs,
    onlineWindowMs: config.onlineWindowMs,
    logger: logger.child({ part: 'presence' }),
  });
  const typing = createTypingService({ sink });
  return {
    service,
    typing,
    close() {
      service.close();
      typing.close();
    },
  };
}
export type Presence = ReturnType<typeof createPresence>;
