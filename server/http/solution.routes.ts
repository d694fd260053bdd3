import { Router } from 'express';
import { markSolutionBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { idParam, parse } from './parse.js';

/** A topic's solution: choose a reply, or none. */
export function solutionRoutes(services: Services): Router {
  const r = Router();
  r.post('/topics/:topicId/solution', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    const { postId } = parse(markSolutionBody, req.body);
    res.json(await services.solutions.mark(req.user, topicId, postId));
  });
  r.delete('/topics/:topicId/solution', async (req, res) => {
    res.json(await services.solutions.unmark(req.user, idParam(req.params.topicId)));
  });
  return r;
}
