import { Router } from 'express';
import { bookmarkBody, pageQuery } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { idParam, parse } from './parse.js';

/** A member's bookmarks: PUT and DELETE /posts/:postId/bookmark, GET /bookmarks. */
export function bookmarkRoutes(services: Services): Router {
  const r = Router();
  r.put('/posts/:postId/bookmark', async (req, res) => {
    const postId = idParam(req.params.postId);
    res.json(await services.bookmarks.add(req.user, postId, parse(bookmarkBody, req.body ?? {})));
  });
  r.delete('/posts/:postId/bookmark', async (req, res) => {
    res.json(await services.bookmarks.remove(req.user, idParam(req.params.postId)));
  });
  r.get('/bookmarks', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.bookmarks.page(req.user, page));
  });
  return r;
}
