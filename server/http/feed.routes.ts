import type { Request, RequestHandler, Response } from 'express';
import { Router } from 'express';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import type { FeedData } from '../services/feed.service.js';
import { atomFeed } from '../render/atom.js';
import { idParam } from './parse.js';

/**
 * Atom feeds of the newest posts, as a guest reads them (feed readers send no token): the
 * board's at /feed.atom, a forum's at /f/:forumId/feed.atom, a topic's at /t/:topicId/feed.atom,
 * beside the pages they follow. Links are under PUBLIC_URL, or else the request's own origin.
 */
export function feedRoutes(services: Services, config: Config, perIp: RequestHandler): Router {
  const r = Router();
  const send = async (req: Request, res: Response, data: Promise<FeedData>) => {
    const origin = config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.type('application/atom+xml; charset=utf-8').send(atomFeed(await data, origin));
  };
  r.get('/feed.atom', perIp, (req, res) => send(req, res, services.feeds.board()));
  r.get('/f/:forumId/feed.atom', perIp, (req, res) => send(req, res, services.feeds.forum(idParam(req.params.forumId))));
  r.get('/t/:topicId/feed.atom', perIp, (req, res) => send(req, res, services.feeds.topic(idParam(req.params.topicId))));
  return r;
}
