import { Router } from 'express';
import { editPostBody, previewBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';

export function postRoutes(services: Services): Router {
  const r = Router();
  r.patch('/posts/:postId', async (req, res) => {
    res.json(await services.posts.edit(req.user, idParam(req.params.postId), parse(editPostBody, req.body)));
  });
  r.get('/posts/:postId/revisions', async (req, res) => {
    res.json(await services.revisions.list(req.user, idParam(req.params.postId)));
  });
  r.delete('/posts/:postId', async (req, res) => {
    res.json(await services.posts.remove(req.user, idParam(req.params.postId)));
  });
  r.post('/preview', (req, res) => {
    res.json(services.posts.preview(req.user, parse(previewBody, req.body ?? {})));
  });
  return r;
}
