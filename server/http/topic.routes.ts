import { Router } from 'express';
import { createPostBody, pageQuery } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';

export function topicRoutes(services: Services): Router {
  const r = Router();
  r.get('/topics/:topicId', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.topics.page(idParam(req.params.topicId), page, req.user));
  });
  r.post('/topics/:topicId/posts', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.status(201).json(await services.posts.reply(req.user, topicId, parse(createPostBody, req.body)));
  });
  return r;
}
