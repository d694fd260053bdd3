import type { AuthUser } from './token.service.js';
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
  requireAuthorOrModerator(user: AuthUser | null, authorId: string): AuthUser {
    const u = policy.requireMember(user);
    if (String(authorId) !== u.id && !policy.isModerator(u)) throw new AppError('FORBIDDEN', 'Only the author or a moderator may do that');
    return u;
  },
};
