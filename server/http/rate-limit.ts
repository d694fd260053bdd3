import type { Request, Response, NextFunction } from 'express';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { RedisClient } from '../db/redis.js';
import { AppError } from '../errors.js';

/**
 * REST request budget: RATE_REST_POINTS per RATE_REST_WINDOW_S (a minute) per IP, and again per user when signed in.
 * With Redis (multi-node) the budget is shared by every node, with an in-memory fallback while
 * Redis is unreachable; without it each node counts on its own.
 */
export function createRestRateLimit({ config, logger, redis, keyPrefix = 'rl' }: { config: Config; logger: Logger; redis?: RedisClient; keyPrefix?: string }) {
  function limiter(kind: string, points = config.rateRestPoints): RateLimiterAbstract {
    const opts = { points, duration: config.rateRestWindowS, keyPrefix: `${keyPrefix}:rest-${kind}` };
    const memory = new RateLimiterMemory(opts);
    if (!redis) return memory;
    return new RateLimiterRedis({ ...opts, storeClient: redis, useRedisPackage: true, rejectIfRedisNotReady: true, insuranceLimiter: memory });
  }
  const byIp = limiter('ip');
  const byUser = limiter('user');
  const bySearch = limiter('search', config.rateSearchPoints);
  const byUpload = limiter('upload', config.rateUploadPoints);

  async function take(l: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await l.consume(key);
    } catch (rejected) {
      if (rejected instanceof RateLimiterRes) {
        throw new AppError('RATE_LIMITED', 'Too many requests, slow down', Math.max(1, rejected.msBeforeNext));
      }
      logger.warn({ err: rejected }, 'rate limiter store failed: request let through');
    }
  }

  const wrap = (fn: (req: Request) => Promise<void>) => (req: Request, _res: Response, next: NextFunction) => {
    fn(req).then(() => next(), next);
  };

  return {
    /** Mount before authentication: every request counts, bad tokens included. */
    perIp: wrap((req) => take(byIp, req.ip ?? req.socket.remoteAddress ?? 'unknown')),
    /** Mount after authentication (req.user set). */
    perUser: wrap(async (req) => {
      if (req.user) await take(byUser, req.user.id);
    }),
    /** The upload budget, per member (only members upload). Call before the file is read. */
    upload: (req: Request) => take(byUpload, `user:${req.user?.id ?? req.ip ?? 'unknown'}`),
    /** The search budget (each search scans posts): per user when signed in, else per IP. Call once the input is valid. */
    search: (req: Request) => take(bySearch, req.user ? `user:${req.user.id}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`),
  };
}
