import { Router } from 'express';
import { createPostBody, markReadBody, markTopicReadBody, topicPageQuery } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';
import { answerPost } from './post-answer.js';
import { servedPlace } from './activity.js';

export function topicRoutes(services: Services): Router {
  const r = Router();
  r.get('/topics/:topicId', async (req, res) => {
    const { page, post } = parse(topicPageQuery, req.query);
    const served = await services.topics.page(idParam(req.params.topicId), post ? { post } : page, req.user);
    servedPlace(res, { topic: { topicId: served.topic.id, forumId: served.topic.forumId, page: served.page } });
    res.json(served);
  });
  r.get('/topics/:topicId/posters', async (req, res) => {
    res.json(await services.topicPosters(req.user, idParam(req.params.topicId)));
  });
  r.post('/topics/:topicId/posts', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    await answerPost(res, services.posts.reply(req.user, topicId, parse(createPostBody, req.body)));
  });
  r.put('/topics/:topicId/watch', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    parse(markReadBody, req.body ?? {});
    res.json({ topicId, ...(await services.watches.watch(req.user, 'topic', topicId)) });
  });
  r.delete('/topics/:topicId/watch', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.json({ topicId, ...(await services.watches.unwatch(req.user, 'topic', topicId)) });
  });
  r.post('/topics/:topicId/read', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.json(await services.unread.markTopic(req.user, topicId, parse(markTopicReadBody, req.body).number));
  });
  return r;
}
