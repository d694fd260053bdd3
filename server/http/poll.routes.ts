import { Router } from 'express';
import { pollInput, pollVoteBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { idParam, parse } from './parse.js';

/** A topic's poll: read it, add one, remove it, vote. */
export function pollRoutes(services: Services): Router {
  const r = Router();
  r.get('/topics/:topicId/poll', async (req, res) => {
    res.json(await services.polls.get(req.user, idParam(req.params.topicId)));
  });
  r.post('/topics/:topicId/poll', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    res.status(201).json(await services.polls.add(req.user, topicId, parse(pollInput, req.body)));
  });
  r.delete('/topics/:topicId/poll', async (req, res) => {
    res.json(await services.polls.remove(req.user, idParam(req.params.topicId)));
  });
  r.post('/topics/:topicId/poll/close', async (req, res) => {
    res.json(await services.polls.close(req.user, idParam(req.params.topicId)));
  });
  r.post('/topics/:topicId/poll/reopen', async (req, res) => {
    res.json(await services.polls.reopen(req.user, idParam(req.params.topicId)));
  });
  r.post('/topics/:topicId/poll/vote', async (req, res) => {
    const topicId = idParam(req.params.topicId);
    const { choices } = parse(pollVoteBody, req.body);
    res.json(await services.polls.vote(req.user, topicId, choices));
  });
  return r;
}
