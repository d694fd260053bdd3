/** The forum's typed client for bots and browsers: connect, subscribe with catch-up, post, thank. */
export { connect, ForumClient, ForumError, Subscription, newClientId, isHeld } from './forum-client.js';
export type { ConnectOptions, ConnectionState, EventHandlers, EventData, SubscribeOptions, ForumSocket } from './forum-client.js';
export { createRest, searchQueryString, type Rest, type SearchParams } from './rest.js';
export type * from '../../shared/schemas.js';
export type { TopicEventName } from '../../shared/events.js';
export { attachmentMarkup } from '../../shared/attachment-markup.js';
