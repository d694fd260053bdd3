import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { ApiTokenInfo, Scope } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import { AppError, notFound } from '../errors.js';

/** Every API token starts with this, so it is recognisable in a config file or a leak scanner. */
export const API_TOKEN_PREFIX = 'fbt_';
/** `fbt_<tokenId>_<secret>`: the id finds the record, the secret (32 random bytes) proves it. */
const TOKEN_SHAPE = /^fbt_([a-f0-9]{24})_([A-Za-z0-9_-]{43})$/;

export const isApiToken = (token: string) => token.startsWith(API_TOKEN_PREFIX);

/** Told when a token is revoked, so live connections made with it can be dropped (realtime/sessions.ts). */
export interface TokenRevocations {
  tokenRevoked(tokenId: string): void;
  /** Every older login token of the user was revoked (password change): drop the user's sockets. */
  userTokensRevoked?(userId: string): void;
  /** One login of the user ended (POST /auth/logout): drop the sockets it opened, on every node. */
  loginRevoked?(userId: string, loginId: string): void;
}
const nobodyListens: TokenRevocations = { tokenRevoked: () => {} };

const sha256 = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

function sameHash(storedHex: string, secret: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  const given = sha256(secret);
  return stored.length === given.length && timingSafeEqual(stored, given);
}

interface TokenRecordLike {
  _id: unknown;
  name: string;
  scopes: string[];
  forums?: string[] | null;
  createdAt: Date;
  revokedAt?: Date | null;
}

function toInfo(t: TokenRecordLike): ApiTokenInfo {
  const info: ApiTokenInfo = {
    id: String(t._id),
    scopes: t.scopes as Scope[],
    forums: t.forums ?? [],
    name: t.name,
    createdAt: t.createdAt.toISOString(),
  };
  if (t.revokedAt) info.revokedAt = t.revokedAt.toISOString();
  return info;
}

/**
 * Long-lived API tokens for bot accounts. Only a SHA-256 of the secret is stored; every use
 * reads the record (nothing is cached), so a revoked token fails on its very next request.
 */
export function createApiTokenService({ models, revocations = nobodyListens }: { models: Models; revocations?: TokenRevocations }) {
  const { ApiToken, User } = models;

  /** Make a token for a user; the secret is in the answer and nowhere else. */
  async function issue(userId: string, input: { scopes: Scope[]; forums?: string[]; name?: string }): Promise<{ token: string; info: ApiTokenInfo }> {
    const id = new Types.ObjectId();
    const secret = randomBytes(32).toString('base64url');
    const doc = await ApiToken.create({
      _id: id,
      userId,
      name: input.name ?? 'API token',
      scopes: input.scopes,
      forums: (input.forums ?? []).map((f) => f.toLowerCase()),
      secretHash: sha256(secret).toString('hex'),
    });
    return { token: `${API_TOKEN_PREFIX}${String(id)}_${secret}`, info: toInfo(doc.toObject()) };
  }

  /** The bot behind a token, with the token's scopes and forums; anything amiss is UNAUTHORIZED. */
  async function verify(token: string): Promise<AuthUser> {
    const match = TOKEN_SHAPE.exec(token);
    if (!match) throw new AppError('UNAUTHORIZED', 'Malformed API token');
    const record = await ApiToken.findById(match[1]).lean();
    if (!record || !sameHash(record.secretHash, match[2])) throw new AppError('UNAUTHORIZED', 'Invalid API token');
    if (record.revokedAt) throw new AppError('UNAUTHORIZED', 'Token revoked');
    const user = await User.findById(record.userId, { username: 1, role: 1, bannedUntil: 1 }).lean();
    if (!user || user.role !== 'bot') throw new AppError('UNAUTHORIZED', 'Token revoked');
    if (user.bannedUntil && user.bannedUntil.getTime() > Date.now()) throw new AppError('UNAUTHORIZED', 'Account banned');
    return {
      id: String(user._id),
      username: user.username,
      role: 'bot',
      scopes: record.scopes as Scope[],
      forums: record.forums ?? [],
      tokenId: String(record._id),
    };
  }

  /** Each user's tokens (revoked ones too, flagged), oldest first. */
  async function listFor(userIds: string[]): Promise<Map<string, ApiTokenInfo[]>> {
    const out = new Map<string, ApiTokenInfo[]>(userIds.map((id) => [id, []]));
    if (!userIds.length) return out;
    const rows = await ApiToken.find({ userId: op({ $in: userIds }) }, { secretHash: 0 }).sort({ createdAt: 1, _id: 1 }).lean();
    for (const row of rows) out.get(String(row.userId))?.push(toInfo(row));
    return out;
  }

  /** Revoke one of a user's tokens (again: no change) and drop the connections that use it. */
  async function revoke(userId: string, tokenId: string): Promise<void> {
    const record = await ApiToken.findOne({ _id: tokenId, userId }, { revokedAt: 1 }).lean();
    if (!record) throw notFound('Token');
    if (!record.revokedAt) await ApiToken.updateOne({ _id: tokenId }, { $set: { revokedAt: new Date() } });
    revocations.tokenRevoked(tokenId);
  }

  return { issue, verify, listFor, revoke };
}
export type ApiTokenService = ReturnType<typeof createApiTokenService>;
