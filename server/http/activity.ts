import type { Request, Response, NextFunction } from 'express';
import type { Logger } from 'pino';
import type { PresenceService } from '../presence/presence.service.js';
import type { VisitPlace } from '../presence/presence-store.js';
import type { EndedLogins } from '../services/ended-logins.js';

type HttpVisit = Parameters<PresenceService['httpActivity']>[0];

/** Who made a request, as presence counts it (identity from the token, never from the body). */
export function httpVisit(req: Request, place?: VisitPlace): HttpVisit {
  const ua = req.headers['user-agent'];
  return {
    user: req.user ?? null,
    ip: req.ip ?? req.socket.remoteAddress ?? '',
    userAgent: typeof ua === 'string' ? ua : '',
    sessionId: req.headers['x-session-id'],
    place,
  };
}

/**
 * Said by a route that served a topic's page or a forum's topic list: that is where the visitor
 * now is, for who-is-online (counted only if the answer is a 200, and only for visitors without
 * a live session: see recordActivity).
 */
export function servedPlace(res: Response, place: VisitPlace): void {
  res.locals.servedPlace = place;
}

/** Said by the logout route once the login has ended: who-is-online forgets the member's requests at once. */
export function loggedOut(res: Response): void {
  res.locals.loggedOut = true;
}

/**
 * Record each API request for who-is-online once it has been answered: by then `req.user`
 * is known (a refused token leaves it unset, and the request counts as the guest it is), and
 * a place (`servedPlace`) counts only if it was actually served (200).
 * Mount on the API router before everything else, so refused requests count too.
 */
export function recordActivity(presence: PresenceService, logger: Logger, endedLogins: Pick<EndedLogins, 'has'>) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      // A request naming its session (`x-session-id`: the web client) has a socket that says
      // where it is, live; its page would otherwise hold it there after it left, for the whole
      // online window. Crawlers, feeds and scripts are placed by what they were served.
      const live = req.headers['x-session-id'] !== undefined;
      const place = res.statusCode === 200 && !live ? (res.locals.servedPlace as VisitPlace | undefined) : undefined;
      const visit = httpVisit(req, place);
      // A logout (see loggedOut) is the member's last request: the visitor making it is a guest
      // now. So is one whose login ended while it ran (checked before the logout, done after it).
      const leaving = res.locals.loggedOut === true && req.user ? req.user.id : null;
      const ended = leaving !== null || endedLogins.has(req.user?.loginId);
      (async () => {
        if (leaving) await presence.loggedOut(leaving);
        await presence.httpActivity(ended ? { ...visit, user: null } : visit);
      })().catch((err) => logger.error({ err }, 'recording activity failed'));
    });
    next();
  };
}
