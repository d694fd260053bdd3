import { createHash } from 'node:crypto';
import type { Role } from '../../shared/schemas.js';
import { botDisplayName } from './crawlers.js';
import type { Visitor } from './presence-store.js';

export interface KnownUser {
  id: string;
  username: string;
  role: Role;
  /** The hidden flag if it was read along with the user (see AuthUser.hidden). */
  hidden?: boolean;
}

/** A signed-in account's presence key, whatever its role. */
export const userKey = (userId: string) => `u:${userId}`;

/** A signed-in account: a member (any staff role) or, for role `bot`, a bot shown by name. */
export function userVisitor(user: KnownUser, hidden: boolean): Visitor {
  const u = { id: user.id, username: user.username, role: user.role, hidden };
  if (user.role === 'bot') return { key: userKey(user.id), kind: 'bot', user: u, botName: botDisplayName(user.username) };
  return { key: userKey(user.id), kind: 'member', user: u };
}

/** The same account with its hidden flag changed (guests and crawlers have none: unchanged). */
export const withHidden = (visitor: Visitor, hidden: boolean): Visitor => (visitor.user ? { ...visitor, user: { ...visitor.user, hidden } } : visitor);

/** Every request and socket of one crawler counts as that crawler, once. */
export const crawlerVisitor = (name: string): Visitor => ({ key: `c:${name}`, kind: 'bot', botName: botDisplayName(name) });

/** A guest that told us its session id (the socket handshake's `auth.sessionId`). */
export const sessionGuest = (sessionId: string): Visitor => ({ key: `s:${sessionId}`, kind: 'guest' });

/** An HTTP guest without a session id: one per IP and User-Agent (hashed, never stored raw). */
export function addressGuest(ip: string, userAgent: string): Visitor {
  const digest = createHash('sha256').update(`${ip}\u0000${userAgent}`).digest('hex').slice(0, 32);
  return { key: `g:${digest}`, kind: 'guest' };
}

/** Same rule as the socket handshake: a client-chosen session id is 8 to 64 word characters. */
export const isSessionId = (v: unknown): v is string => typeof v === 'string' && /^[\w-]{8,64}$/.test(v);
