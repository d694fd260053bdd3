import { Router } from 'express';
import { markReadBody, pageQuery, rejectQueuedBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { idParam, parse } from './parse.js';

/** The moderators' queue of posts awaiting approval (phpBB's "Posts awaiting approval"). */
export function queueRoutes(services: Services): Router {
  const r = Router();
  r.get('/queue', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.approval.list(req.user, page));
  });
  r.get('/queue/mine', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.approval.mine(req.user, page));
  });
  r.post('/queue/:queuedId/approve', async (req, res) => {
    const id = idParam(req.params.queuedId);
    parse(markReadBody, req.body ?? {}); // no input: no body, or {}
    res.json(await services.approval.approve(req.user, id));
  });
  r.post('/queue/:queuedId/reject', async (req, res) => {
    const id = idParam(req.params.queuedId);
    res.json(await services.approval.reject(req.user, id, parse(rejectQueuedBody, req.body ?? {})));
  });
  return r;
}
