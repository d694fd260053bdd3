import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Models } from '../models/index.js';
import { createEventLog, type EventSink } from './event-log.service.js';
import { createPasswordHasher } from './password.service.js';
import { createTokenService } from './token.service.js';
import { createCardService } from './card.service.js';
import { createAuthService } from './auth.service.js';
import { createForumService } from './forum.service.js';
import { createTopicService } from './topic.service.js';
import { createPostService } from './post.service.js';

/** Every service, built from its dependencies; nothing here knows about HTTP or sockets. */
export function createServices({ models, config, logger, sink }: { models: Models; config: Config; logger: Logger; sink: EventSink }) {
  const eventLog = createEventLog({ models, config, logger: logger.child({ part: 'event-log' }), sink });
  const passwords = createPasswordHasher(config.passwordHashMemoryKib);
  const tokens = createTokenService({ config, models });
  const cards = createCardService({ models, config });
  const auth = createAuthService({ models, passwords, tokens, cardService: cards });
  const forums = createForumService({ models });
  const topics = createTopicService({ models, eventLog, cardService: cards });
  const posts = createPostService({ models, config, eventLog, cardService: cards });
  return { models, eventLog, passwords, tokens, cards, auth, forums, topics, posts };
}
export type Services = ReturnType<typeof createServices>;
