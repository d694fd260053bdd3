import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Models } from '../models/index.js';
import type { Role, Scope } from '../../shared/schemas.js';
import { isApiToken, type ApiTokenService } from './api-token.service.js';
import { AppError } from '../errors.js';
import { op } from '../db/connect.js';
import { gatheredReads } from '../db/gathered-reads.js';

/** Who is making a request, once their token has been checked against the database. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  /** Set for API tokens (bots): what the token allows. Absent for members: every member right. */
  scopes?: Scope[];
  /** Set for API tokens limited to some forums (lower-case ids); absent or empty: every forum. */
  forums?: string[];
  /** The API token's id (its sockets share a room, dropped when it is revoked). */
  tokenId?: string;
  /** A member token's login (its `jti`): POST /auth/logout ends this login alone. */
  loginId?: string;
  /**
   * Hidden from who-is-online, as read with the token's check (presence then needs no second
   * read of the same record). Absent where not read (API tokens): presence looks it up.
   */
  hidden?: boolean;
}

const ALGORITHM = 'HS256' as const;
const claims = z.object({ sub: z.string().regex(/^[a-f0-9]{24}$/), ver: z.number().int(), typ: z.literal('user'), jti: z.string().regex(/^[a-f0-9]{24}$/).optional() });

export function createTokenService({ config, models, apiTokens }: { config: Config; models: Models; apiTokens?: Pick<ApiTokenService, 'verify'> }) {
  // A key object made once: given a string, jsonwebtoken first tries (and fails) to parse it
  // as a public key on every verify.
  const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  /** The token's user, as it stands now (gathered: a reconnect storm reads them in tens of queries). */
  const readUser = gatheredReads((ids) => models.User.find({ _id: op({ $in: ids }) }, { username: 1, role: 1, tokenVersion: 1, loggedOut: 1, bannedUntil: 1, hidden: 1 }).lean());
  /** A token for one login: its own `jti`, so that logging out ends this login and no other. */
  function issue(user: { id: string; tokenVersion: number }): string {
    return jwt.sign({ ver: user.tokenVersion, typ: 'user' }, key, {
      algorithm: ALGORITHM,
      subject: user.id,
      jwtid: randomBytes(12).toString('hex'),
      expiresIn: config.jwtExpiresIn as jwt.SignOptions['expiresIn'],
    });
  }

  /** A bad, expired or revoked token is refused, never downgraded to guest. */
  async function verify(token: string): Promise<AuthUser> {
    if (isApiToken(token)) {
      if (!apiTokens) throw new AppError('UNAUTHORIZED', 'API tokens are not accepted here');
      return apiTokens.verify(token);
    }
    let payload: unknown;
    try {
      payload = jwt.verify(token, key, { algorithms: [ALGORITHM] });
    } catch {
      throw new AppError('UNAUTHORIZED', 'Invalid or expired token');
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw new AppError('UNAUTHORIZED', 'Invalid token');
    const user = await readUser(parsed.data.sub);
    const { jti } = parsed.data;
    if (!user || user.tokenVersion !== parsed.data.ver) throw new AppError('UNAUTHORIZED', 'Token revoked');
    if (jti && user.loggedOut?.includes(jti)) throw new AppError('UNAUTHORIZED', 'Logged out');
    if (user.bannedUntil && user.bannedUntil.getTime() > Date.now()) throw new AppError('UNAUTHORIZED', 'Account banned');
    return { id: String(user._id), username: user.username, role: user.role as Role, hidden: Boolean(user.hidden), ...(jti && { loginId: jti }) };
  }

  return { issue, verify };
}
export type TokenService = ReturnType<typeof createTokenService>;
