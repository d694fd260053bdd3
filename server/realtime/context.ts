import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { Services } from '../services/index.js';
import type { TypingService } from '../presence/typing.service.js';

/** What presence tracking needs to hear from the handlers (see realtime/presence.handlers.ts). */
export interface PresenceHooks {
  connected(socket: Socket): void;
  /** Before joining a topic room: throws (RATE_LIMITED) past the per-socket subscription cap. */
  admitTopic(socket: Socket, topicId: string): void;
  /** After joining; `page` is what the viewer says it shows. Subscribing again updates it. */
  topicJoined(socket: Socket, topicId: string, page?: number, forumId?: string): void;
  topicLeft(socket: Socket, topicId: string): void;
  /** After joining a forum's browsing room: the socket shows that forum's page. */
  forumBrowsed(socket: Socket, forumId: string): void;
  /** Out of the browsing room (unsubscribed, or access lost). */
  forumLeft(socket: Socket, forumId: string): void;
  /** The socket's member chose to be hidden from who-is-online, or shown again. */
  hiddenChanged(socket: Socket, hidden: boolean): void;
  disconnected(socket: Socket): void;
}

export const noPresence: PresenceHooks = {
  connected: () => {},
  admitTopic: () => {},
  topicJoined: () => {},
  topicLeft: () => {},
  forumBrowsed: () => {},
  forumLeft: () => {},
  hiddenChanged: () => {},
  disconnected: () => {},
};

export interface RealtimeContext {
  logger: Logger;
  services: Services;
  presence: PresenceHooks;
  typing: TypingService;
}
