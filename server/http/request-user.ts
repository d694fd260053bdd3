import type { Request, Response, NextFunction } from 'express';
import type { TokenService, AuthUser } from '../services/token.service.js';
import { AppError } from '../errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    user: AuthUser | null;
  }
}

/** `Authorization: Bearer <token>` or nobody (a guest). Tokens in the query string are refused. */
export function requestUser(tokens: TokenService) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    if (req.query && ('token' in req.query || 'access_token' in req.query)) {
      return next(new AppError('UNAUTHORIZED', 'Send tokens in the Authorization header, never in the URL'));
    }
    const header = req.headers.authorization;
    req.user = null;
    if (!header) return next();
    const match = /^Bearer ([\w.-]{1,4096})$/.exec(header);
    if (!match) return next(new AppError('UNAUTHORIZED', 'Malformed Authorization header'));
    try {
      req.user = await tokens.verify(match[1]);
      next();
    } catch (err) {
      next(err);
    }
  };
}
