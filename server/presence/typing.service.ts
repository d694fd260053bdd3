import type { TypingEvent } from '../../shared/schemas.js';
import { AppError } from '../errors.js';
import { policy } from '../services/policy.js';
import type { AuthUser } from '../services/token.service.js';

/** A typing indicator lapses by itself this long after its last refresh. */
export const TYPING_EXPIRY_MS = 5_000;

interface Typist {
  topicId: string;
  user: { id: string; username: string };
  socketId: string;
  timer: NodeJS.Timeout;
}

/**
 * "X is typing" per member and topic. `typing: true` starts or refreshes it (only the start is
 * announced), `typing: false` stops it, and so do expiry, leaving the topic and disconnecting.
 */
export function createTypingService({ sink, expiryMs = TYPING_EXPIRY_MS }: { sink: { typing(event: TypingEvent): void }; expiryMs?: number }) {
  const typists = new Map<string, Typist>();
  const keyOf = (topicId: string, userId: string) => `${topicId}\u0000${userId}`;

  function stop(key: string) {
    const t = typists.get(key);
    if (!t) return;
    clearTimeout(t.timer);
    typists.delete(key);
    sink.typing({ topicId: t.topicId, user: t.user, typing: false });
  }

  function arm(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => stop(key), expiryMs);
    timer.unref();
    return timer;
  }

  return {
    /** Guests may not type (UNAUTHORIZED); members must be subscribed to the topic (FORBIDDEN). */
    set(user: AuthUser | null, topicId: string, typing: boolean, from: { socketId: string; subscribed: boolean }): void {
      const member = policy.requireMember(user);
      if (!from.subscribed) throw new AppError('FORBIDDEN', 'Subscribe to the topic before typing in it');
      const key = keyOf(topicId, member.id);
      if (!typing) return stop(key);
      const current = typists.get(key);
      if (current) {
        clearTimeout(current.timer);
        current.timer = arm(key);
        current.socketId = from.socketId;
        return;
      }
      const user_ = { id: member.id, username: member.username };
      typists.set(key, { topicId, user: user_, socketId: from.socketId, timer: arm(key) });
      sink.typing({ topicId, user: user_, typing: true });
    },

    /** The socket left a topic (or every topic, when `topicId` is omitted): its typing stops. */
    socketLeft(socketId: string, topicId?: string): void {
      for (const [key, t] of typists) if (t.socketId === socketId && (!topicId || t.topicId === topicId)) stop(key);
    },

    close() {
      for (const t of typists.values()) clearTimeout(t.timer);
      typists.clear();
    },
  };
}
export type TypingService = ReturnType<typeof createTypingService>;
