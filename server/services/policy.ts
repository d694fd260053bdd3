import type { AuthUser } from './token.service.js';
import type { Scope } from '../../shared/schemas.js';
import { AppError } from '../errors.js';

/** Who may do what. Guests (null) read public forums only. */
export const policy = {
  isModerator: (user: AuthUser | null) => user?.role === 'moderator' || user?.role === 'admin',
  requireMember(user: AuthUser | null): AuthUser {
    if (!user) throw new AppError('UNAUTHORIZED', 'Log in to do that');
    return user;
  },
  requireAdmin(user: AuthUser | null): AuthUser {
    const u = policy.requireMember(user);
    if (u.role !== 'admin') throw new AppError('FORBIDDEN', 'Admins only');
    return u;
  },
  /** Moderators and admins (an API token would also need the `moderate` scope). */
  requireModerator(user: AuthUser | null): AuthUser {
    const u = policy.requireMember(user);
    if (!policy.isModerator(u)) throw new AppError('FORBIDDEN', 'Moderators only');
    policy.requireScope(u, 'moderate');
    return u;
  },
  requireAuthorOrModerator(user: AuthUser | null, authorId: string): AuthUser {
    const u = policy.requireMember(user);
    if (String(authorId) !== u.id && !policy.isModerator(u)) throw new AppError('FORBIDDEN', 'Only the author or a moderator may do that');
    return u;
  },
  /** API tokens (bots) act only within their scopes; members and guests carry none and pass. */
  /** Members have every scope; an API token has those it was given. */
  hasScope: (user: AuthUser | null, scope: Scope) => !user?.scopes || user.scopes.includes(scope),
  requireScope(user: AuthUser | null, scope: Scope): void {
    if (!policy.hasScope(user, scope)) throw new AppError('FORBIDDEN', `This token lacks the "${scope}" scope`);
  },
  /** Whether a token limited to some forums covers this one (no limit: every forum). */
  coversForum: (user: AuthUser | null, forumId: string) => !user?.forums?.length || user.forums.includes(String(forumId).toLowerCase()),
  requireForum(user: AuthUser | null, forumId: string): void {
    if (!policy.coversForum(user, forumId)) throw new AppError('FORBIDDEN', 'This token is limited to other forums');
  },
};
