import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { Services } from '../services/index.js';

/** What presence tracking needs to hear from the handlers (the presence issue fills it in). */
export interface PresenceHooks {
  connected(socket: Socket): void;
  topicJoined(socket: Socket, topicId: string): void;
  topicLeft(socket: Socket, topicId: string): void;
  disconnected(socket: Socket): void;
}

export const noPresence: PresenceHooks = {
  connected: () => {},
  topicJoined: () => {},
  topicLeft: () => {},
  disconnected: () => {},
};

export interface RealtimeContext {
  logger: Logger;
  services: Services;
  presence: PresenceHooks;
}
