import { Router } from 'express';
import { createApiTokenBody, createBotBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';

/** Admins manage bot accounts and their API tokens; a token's secret is in the 201 answer only. */
export function botRoutes(services: Services): Router {
  const r = Router();
  r.post('/bots', async (req, res) => {
    res.status(201).json({ bot: await services.bots.create(req.user, parse(createBotBody, req.body)) });
  });
  r.get('/bots', async (req, res) => {
    res.json({ bots: await services.bots.list(req.user) });
  });
  r.post('/bots/:botId/tokens', async (req, res) => {
    const botId = idParam(req.params.botId);
    res.status(201).json(await services.bots.issueToken(req.user, botId, parse(createApiTokenBody, req.body)));
  });
  r.delete('/bots/:botId/tokens/:tokenId', async (req, res) => {
    await services.bots.revokeToken(req.user, idParam(req.params.botId), idParam(req.params.tokenId));
    res.json({ revoked: true });
  });
  return r;
}
