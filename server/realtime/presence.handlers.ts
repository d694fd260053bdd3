import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { SocketData } from '../../shared/events.js';
import { LIMITS } from '../../shared/limits.js';
import { room } from '../../shared/rooms.js';
import { AppError } from '../errors.js';
import type { PresenceService } from '../presence/presence.service.js';
import type { TypingService } from '../presence/typing.service.js';
import type { PresenceHooks } from './context.js';

/**
 * Presence as the socket handlers see it. Identity comes from the handshake only (the token's
 * user, the session id, the User-Agent); nothing a client sends later can change who it is.
 * Also keeps each socket's topic count, refusing subscriptions past the per-socket cap.
 */
export function createPresenceHooks({ presence, typing, logger }: { presence: PresenceService; typing: TypingService; logger: Logger }): PresenceHooks {
  /** Each connected socket's topics (an empty set is created on its first subscribe). */
  const topicsOf = new Map<string, Set<string> | null>();
  const report = (err: unknown) => logger.error({ err }, 'presence hook failed');
  // One listener for every socket (`this` is the socket), not a closure each.
  const active = function (this: Socket) {
    presence.socketActive(this.id);
  };

  return {
    connected(socket: Socket) {
      const data = socket.data as SocketData;
      const ua = socket.handshake.headers['user-agent'];
      data.crawler = data.user ? null : presence.detectCrawler(typeof ua === 'string' ? ua : undefined);
      topicsOf.set(socket.id, null);
      socket.onAny(active);
      presence.socketConnected(socket.id, { user: data.user, sessionId: data.sessionId, crawler: data.crawler }).catch(report);
    },

    admitTopic(socket: Socket, topicId: string) {
      if (!topicsOf.has(socket.id)) return;
      let mine = topicsOf.get(socket.id);
      if (!mine) topicsOf.set(socket.id, (mine = new Set()));
      if (mine.has(topicId)) return;
      if (mine.size >= LIMITS.topicSubscriptionsPerSocket) {
        throw new AppError('RATE_LIMITED', `At most ${LIMITS.topicSubscriptionsPerSocket} topic subscriptions per connection; unsubscribe from one first`);
      }
      mine.add(topicId);
    },

    topicJoined(socket: Socket, topicId: string, page?: number, forumId?: string) {
      const mine = topicsOf.get(socket.id);
      if (!mine || socket.disconnected) return;
      // Taken out of the room meanwhile (its access was revoked, say): then it is not viewing.
      if (!socket.rooms.has(room.topic(topicId))) return;
      mine.add(topicId);
      presence.socketJoinedTopic(socket.id, topicId, page, forumId).catch(report);
    },

    topicLeft(socket: Socket, topicId: string) {
      topicsOf.get(socket.id)?.delete(topicId);
      typing.socketLeft(socket.id, topicId);
      presence.socketLeftTopic(socket.id, topicId).catch(report);
    },

    forumBrowsed(socket: Socket, forumId: string) {
      if (!topicsOf.has(socket.id) || socket.disconnected) return;
      if (!socket.rooms.has(room.browsing(forumId))) return; // taken out meanwhile
      presence.socketBrowsesForum(socket.id, forumId).catch(report);
    },

    forumLeft(socket: Socket, forumId: string) {
      presence.socketLeftForum(socket.id, forumId).catch(report);
    },

    hiddenChanged(socket: Socket, hidden: boolean) {
      presence.socketHidden(socket.id, hidden).catch(report);
    },

    disconnected(socket: Socket) {
      topicsOf.delete(socket.id);
      typing.socketLeft(socket.id);
      presence.socketDisconnected(socket.id).catch(report);
    },
  };
}
