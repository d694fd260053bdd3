import { Router, type Request, type Response } from 'express';
import type { AuthUser } from '../services/token.service.js';
import { announceBody, banBody, mergeTopicBody, moderationBody, movePostsBody, moveTopicBody, pageQuery, editTopicBody, splitTopicBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';

/** Moderation over REST: lock, unlock, pin, unpin, announce, unannounce, move, split, merge, rename, delete and restore topics, move and restore posts, ban, and the moderation log. */
export function moderationRoutes(services: Services): Router {
  const r = Router();
  const { moderation } = services;
  // Lock, unlock, pin, unpin, delete and restore take an optional body ({reason}); none at all is fine.
  const optional = (body: unknown) => parse(moderationBody, body ?? {});

  /** A topic action whose only input is an optional {reason}. */
  const topicAction = (act: (user: AuthUser | null, topicId: string, reason?: string) => Promise<unknown>) => async (req: Request<{ topicId: string }>, res: Response) => {
    res.json(await act(req.user, idParam(req.params.topicId), optional(req.body).reason));
  };
  r.post('/topics/:topicId/lock', topicAction(moderation.lock));
  r.post('/topics/:topicId/unlock', topicAction(moderation.unlock));
  r.post('/topics/:topicId/pin', topicAction(moderation.pin));
  r.post('/topics/:topicId/unpin', topicAction(moderation.unpin));
  r.post('/topics/:topicId/announce', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    const { scope, reason } = parse(announceBody, req.body ?? {});
    res.json(await moderation.announce(req.user, topicId, scope, reason));
  });
  r.post('/topics/:topicId/unannounce', topicAction(moderation.unannounce));
  r.delete('/topics/:topicId', topicAction(moderation.deleteTopic));
  r.post('/topics/:topicId/restore', topicAction(moderation.restoreTopic));
  r.post('/topics/:topicId/move', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    const { forumId, reason } = parse(moveTopicBody, req.body);
    res.json(await moderation.move(req.user, topicId, forumId, reason));
  });
  r.post('/topics/:topicId/split', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.status(201).json(await services.postMoves.split(req.user, topicId, parse(splitTopicBody, req.body)));
  });
  r.post('/topics/:topicId/move-posts', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.json(await services.postMoves.movePosts(req.user, topicId, parse(movePostsBody, req.body)));
  });
  r.post('/topics/:topicId/merge', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.json(await services.postMoves.merge(req.user, topicId, parse(mergeTopicBody, req.body)));
  });
  r.patch('/topics/:topicId', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.json(await moderation.edit(req.user, topicId, parse(editTopicBody, req.body)));
  });
  r.post('/posts/:postId/restore', async (req, res) => {
    const postId = idParam(req.params.postId);
    res.json(await moderation.restore(req.user, postId, optional(req.body).reason));
  });
  r.post('/users/:userId/ban', async (req, res) => {
    const userId = idParam(req.params.userId);
    res.json(await moderation.ban(req.user, userId, parse(banBody, req.body)));
  });
  r.delete('/users/:userId/ban', async (req, res) => {
    res.json(await moderation.unban(req.user, idParam(req.params.userId)));
  });
  r.get('/modlog', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.modlog.page(req.user, page));
  });
  return r;
}
