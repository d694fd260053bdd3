import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Models } from '../models/index.js';
import { createEventLog, type EventSink, type RecentEvents } from './event-log.service.js';
import { createPasswordHasher } from './password.service.js';
import { createTokenService } from './token.service.js';
import { createCardService } from './card.service.js';
import { createAuthService } from './auth.service.js';
import { createForumService } from './forum.service.js';
import { createTopicService } from './topic.service.js';
import { createPostService } from './post.service.js';
import { createThanksService } from './thanks.service.js';
import { createProfileService } from './profile.service.js';
import { createRecountService } from './recount.service.js';
import { createApiTokenService, type TokenRevocations } from './api-token.service.js';
import { createBotService } from './bot.service.js';
import { createAccessService, noAccessChanges, type AccessChanges } from './access.service.js';
import { createAccessCache } from './access-cache.js';
import { createModlogService } from './modlog.service.js';
import { createModerationService } from './moderation.service.js';
import { createSearchService } from './search.service.js';
import { createUnreadService } from './unread.service.js';
import { createBoardStats } from './board-stats.service.js';

/** Every service, built from its dependencies; nothing here knows about HTTP or sockets. */
export function createServices({ models, config, logger, sink, recent, sessions, accessChanges = noAccessChanges }: { models: Models; config: Config; logger: Logger; sink: EventSink; recent?: RecentEvents; sessions?: TokenRevocations; accessChanges?: AccessChanges }) {
  const eventLog = createEventLog({ models, config, logger: logger.child({ part: 'event-log' }), sink, recent });
  const passwords = createPasswordHasher(config.passwordHashMemoryKib);
  const apiTokens = createApiTokenService({ models, revocations: sessions });
  const tokens = createTokenService({ config, models, apiTokens });
  const cards = createCardService({ models, config });
  const boardStats = createBoardStats({ models, logger: logger.child({ part: 'board-stats' }) });
  const auth = createAuthService({ models, passwords, tokens, cardService: cards, sessions, onJoined: boardStats.forgetMembers });
  const bots = createBotService({ models, auth, apiTokens, cardService: cards });
  const accessCache = createAccessCache({ models });
  const access = createAccessService({ models, cache: accessCache });
  const modlog = createModlogService({ models });
  const unread = createUnreadService({ models, config, logger: logger.child({ part: 'unread' }), access });
  const forums = createForumService({ models, access, modlog, accessChanges, accessCache, unread });
  const thanks = createThanksService({ models, eventLog, access });
  const profiles = createProfileService({ models, cardService: cards, accessChanges });
  const recount = createRecountService({ models, logger: logger.child({ part: 'recount' }) });
  const topics = createTopicService({ models, eventLog, cardService: cards, thankedBy: thanks.thankedBy, access, cache: accessCache, unread });
  const posts = createPostService({ models, config, eventLog, cardService: cards, access, modlog, cache: accessCache, unread });
  const moderation = createModerationService({ models, eventLog, cardService: cards, access, modlog, accessChanges, accessCache });
  const search = createSearchService({ models, forums, cardService: cards });
  return { models, eventLog, passwords, tokens, cards, auth, forums, topics, posts, thanks, profiles, recount, apiTokens, bots, access, accessCache, modlog, moderation, search, unread, boardStats };
}
export type Services = ReturnType<typeof createServices>;
