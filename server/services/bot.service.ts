import { randomBytes } from 'node:crypto';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { ApiTokenInfo, BotSummary, CreateApiTokenBody, CreateBotBody, UserCard } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { AuthService } from './auth.service.js';
import type { ApiTokenService } from './api-token.service.js';
import { CARD_PROJECTION, type CardService, type CardSource } from './card.service.js';
import { policy } from './policy.js';
import { AppError, notFound } from '../errors.js';

type Deps = { models: Models; auth: AuthService; apiTokens: ApiTokenService; cardService: CardService };

/**
 * Bot accounts (role `bot`) and their API tokens, managed by admins. Bots never log in with a
 * password: theirs is random and discarded, and login refuses role `bot` anyway.
 * `createAccount` and `grant` skip the admin check; only the CLI (run by the operator) calls them.
 */
export function createBotService({ models, auth, apiTokens, cardService }: Deps) {
  const { User, Forum } = models;

  async function createAccount(input: CreateBotBody): Promise<UserCard> {
    if (await User.exists({ usernameLower: input.username.toLowerCase() })) throw new AppError('CONFLICT', 'That username is taken');
    const user = await auth.createUser({ username: input.username, password: randomBytes(32).toString('base64url'), role: 'bot' });
    return cardService.toCard(user as unknown as CardSource);
  }

  async function loadBot(botId: string): Promise<UserCard> {
    const user = await User.findById(botId, CARD_PROJECTION).lean();
    if (!user || user.role !== 'bot') throw notFound('Bot');
    return cardService.toCard(user as CardSource);
  }

  /** A bot account by name (for the CLI), or null. */
  async function findByName(username: string): Promise<UserCard | null> {
    const user = await User.findOne({ usernameLower: username.toLowerCase() }, CARD_PROJECTION).lean();
    if (!user) return null;
    if (user.role !== 'bot') throw new AppError('CONFLICT', `${user.username} is not a bot account`);
    return cardService.toCard(user as CardSource);
  }

  async function grant(botId: string, input: CreateApiTokenBody): Promise<{ token: string; info: ApiTokenInfo }> {
    await loadBot(botId);
    if (input.forums?.length) {
      const known = await Forum.countDocuments({ _id: op({ $in: input.forums }) });
      if (known !== input.forums.length) throw new AppError('BAD_REQUEST', 'forums: unknown forum id');
    }
    return apiTokens.issue(botId, input);
  }

  async function create(actor: AuthUser | null, input: CreateBotBody): Promise<UserCard> {
    policy.requireAdmin(actor);
    return createAccount(input);
  }

  async function list(actor: AuthUser | null): Promise<BotSummary[]> {
    policy.requireAdmin(actor);
    const bots = await User.find({ role: 'bot' }, CARD_PROJECTION).sort({ joinedAt: 1, _id: 1 }).lean();
    const tokens = await apiTokens.listFor(bots.map((b) => String(b._id)));
    return bots.map((b) => ({ bot: cardService.toCard(b as CardSource), tokens: tokens.get(String(b._id)) ?? [] }));
  }

  async function issueToken(actor: AuthUser | null, botId: string, input: CreateApiTokenBody) {
    policy.requireAdmin(actor);
    return grant(botId, input);
  }

  async function revokeToken(actor: AuthUser | null, botId: string, tokenId: string): Promise<void> {
    policy.requireAdmin(actor);
    await loadBot(botId);
    await apiTokens.revoke(botId, tokenId);
  }

  return { create, list, issueToken, revokeToken, createAccount, findByName, grant };
}
export type BotService = ReturnType<typeof createBotService>;
