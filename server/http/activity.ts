import type { Request, Response, NextFunction } from 'express';
import type { Logger } from 'pino';
import { objectId, pageQuery } from '../../shared/schemas.js';
import type { PresenceService } from '../presence/presence.service.js';

type HttpVisit = Parameters<PresenceService['httpActivity']>[0];

const TOPIC_PATH = /^\/topics\/([^/]+)\/?$/;

/** The topic and page a `GET /topics/:id?page=N` asked for (path relative to the API mount). */
export function topicAsked(method: string, path: string, query: unknown): { topicId: string; page?: number } | undefined {
  if (method !== 'GET') return undefined;
  const match = TOPIC_PATH.exec(path);
  const id = match && objectId.safeParse(match[1]);
  if (!id?.success) return undefined;
  const page = pageQuery.safeParse(query ?? {});
  return { topicId: id.data, page: page.success ? page.data.page : undefined };
}

/** Who made a request, as presence counts it (identity from the token, never from the body). */
export function httpVisit(req: Request, topic?: { topicId: string; page?: number }): HttpVisit {
  const ua = req.headers['user-agent'];
  return {
    user: req.user ?? null,
    ip: req.ip ?? req.socket.remoteAddress ?? '',
    userAgent: typeof ua === 'string' ? ua : '',
    sessionId: req.headers['x-session-id'],
    topic,
  };
}

/**
 * Record each API request for who-is-online once it has been answered: by then `req.user`
 * is known (a refused token leaves it unset, and the request counts as the guest it is), and
 * a topic counts as viewed only if it was actually served (200).
 * Mount on the API router before everything else, so refused requests count too.
 */
export function recordActivity(presence: PresenceService, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Routers rewrite req.url while they run: keep the path relative to this mount point now.
    const asked = topicAsked(req.method, req.path, req.query);
    res.on('finish', () => {
      presence
        .httpActivity(httpVisit(req, res.statusCode === 200 ? asked : undefined))
        .catch((err) => logger.error({ err }, 'recording activity failed'));
    });
    next();
  };
}
