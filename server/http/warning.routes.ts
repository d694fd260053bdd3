import { Router } from 'express';
import { warnBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';

/** phpBB's warnings: give (moderators), list (moderators, and the member themself), take back (moderators). */
export function warningRoutes(services: Services): Router {
  const r = Router();
  const { warnings } = services;
  r.post('/users/:userId/warnings', async (req, res) => {
    const userId = idParam(req.params.userId);
    res.status(201).json(await warnings.warn(req.user, userId, parse(warnBody, req.body)));
  });
  r.get('/users/:userId/warnings', async (req, res) => {
    res.json(await warnings.list(req.user, idParam(req.params.userId)));
  });
  r.delete('/warnings/:warningId', async (req, res) => {
    res.json(await warnings.remove(req.user, idParam(req.params.warningId)));
  });
  return r;
}
