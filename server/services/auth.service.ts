import type { Models } from '../models/index.js';
import type { RegisterBody, LoginBody, UserCard, Role } from '../../shared/schemas.js';
import type { PasswordHasher } from './password.service.js';
import type { TokenService } from './token.service.js';
import type { CardService, CardSource } from './card.service.js';
import { AppError, isDuplicateKey } from '../errors.js';
import type { AuthUser } from './token.service.js';
import type { TokenRevocations } from './api-token.service.js';

/** Logins kept as logged out per member; one more and every token of theirs is revoked instead (they log in again everywhere). */
export const LOGGED_OUT_MAX = 50;

type Deps = {
  models: Models;
  passwords: PasswordHasher;
  tokens: TokenService;
  cardService: CardService;
  sessions?: Pick<TokenRevocations, 'userTokensRevoked' | 'loginRevoked'>;
  /** Told of every account made (the board statistics count members). */
  onJoined?: () => void;
};

export function createAuthService({ models, passwords, tokens, cardService, sessions, onJoined }: Deps) {
  async function createUser(input: RegisterBody & { role?: Role; groups?: string[] }) {
    const passwordHash = await passwords.hash(input.password);
    try {
      const user = await models.User.create({
        username: input.username,
        usernameLower: input.username.toLowerCase(),
        passwordHash,
        role: input.role ?? 'member',
        groups: input.groups ?? [],
      });
      onJoined?.();
      return user;
    } catch (err) {
      if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'That username is taken');
      throw err;
    }
  }

  async function register(input: RegisterBody): Promise<{ user: UserCard; token: string }> {
    const exists = await models.User.exists({ usernameLower: input.username.toLowerCase() });
    if (exists) throw new AppError('CONFLICT', 'That username is taken');
    const user = await createUser(input);
    return { user: cardService.toCard(user as unknown as CardSource), token: tokens.issue({ id: String(user._id), tokenVersion: user.tokenVersion }) };
  }

  async function login(input: LoginBody): Promise<{ user: UserCard; token: string }> {
    const user = await models.User.findOne({ usernameLower: input.username.trim().toLowerCase() });
    const ok = user ? await passwords.verify(user.passwordHash, input.password) : false;
    if (!user || !ok) throw new AppError('UNAUTHORIZED', 'Wrong username or password');
    if (user.role === 'bot') throw new AppError('FORBIDDEN', 'Bot accounts use API tokens');
    if (user.bannedUntil && user.bannedUntil.getTime() > Date.now()) {
      throw new AppError('FORBIDDEN', `Banned until ${user.bannedUntil.toISOString()}${user.banReason ? `: ${user.banReason}` : ''}`);
    }
    return { user: cardService.toCard(user as unknown as CardSource), token: tokens.issue({ id: String(user._id), tokenVersion: user.tokenVersion }) };
  }

  /**
   * Change one's password: bumps tokenVersion, so every token issued before is refused from
   * now on, drops the user's open sockets, and answers with a fresh token.
   */
  async function changePassword(actor: AuthUser | null, input: { currentPassword: string; newPassword: string }): Promise<{ token: string }> {
    if (!actor) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (actor.tokenId || actor.role === 'bot') throw new AppError('FORBIDDEN', 'Bot accounts have no password');
    const user = await models.User.findById(actor.id, { passwordHash: 1, tokenVersion: 1 });
    if (!user) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (!(await passwords.verify(user.passwordHash, input.currentPassword))) throw new AppError('FORBIDDEN', 'Current password is wrong');
    const passwordHash = await passwords.hash(input.newPassword);
    const updated = await models.User.findOneAndUpdate({ _id: actor.id }, { $set: { passwordHash }, $inc: { tokenVersion: 1 } }, { new: true }).lean();
    if (!updated) throw new AppError('UNAUTHORIZED', 'Sign in first');
    sessions?.userTokensRevoked?.(actor.id);
    return { token: tokens.issue({ id: actor.id, tokenVersion: updated.tokenVersion }) };
  }

  /**
   * End this login (phpBB's and Discourse's logout end the session on the server): its token is
   * refused from now on, on every node, and the sockets it opened are dropped; the member's other
   * logins go on. A token without a login id (issued before they existed) revokes every token.
   */
  async function logout(actor: AuthUser | null): Promise<{ loggedOut: true }> {
    if (!actor) throw new AppError('UNAUTHORIZED', 'Sign in first');
    if (actor.tokenId || actor.role === 'bot') throw new AppError('FORBIDDEN', 'API tokens are revoked by their owner (DELETE /bots/:botId/tokens/:tokenId), not logged out');
    const loginId = actor.loginId;
    // The whole document comes back: FerretDB v1's findAndModify takes no projection.
    const ended = loginId ? await models.User.findOneAndUpdate({ _id: actor.id }, { $push: { loggedOut: loginId } }, { new: true }).lean() : null;
    if (!loginId || (ended?.loggedOut.length ?? 0) > LOGGED_OUT_MAX) {
      await models.User.updateOne({ _id: actor.id }, { $inc: { tokenVersion: 1 }, $set: { loggedOut: [] } });
      sessions?.userTokensRevoked?.(actor.id);
    } else {
      sessions?.loginRevoked?.(actor.id, loginId);
    }
    return { loggedOut: true };
  }

  return { register, login, createUser, changePassword, logout };
}
export type AuthService = ReturnType<typeof createAuthService>;
