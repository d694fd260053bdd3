import { Router } from 'express';
import type { Services } from '../services/index.js';
import { idParam } from './parse.js';

export function thanksRoutes(services: Services): Router {
  const r = Router();
  r.post('/posts/:postId/thanks', async (req, res) => {
    const { thanks, changed } = await services.thanks.add(req.user, idParam(req.params.postId));
    res.status(changed ? 201 : 200).json({ thanks });
  });
  r.delete('/posts/:postId/thanks', async (req, res) => {
    const { thanks } = await services.thanks.remove(req.user, idParam(req.params.postId));
    res.json({ thanks });
  });
  return r;
}
