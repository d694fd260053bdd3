import { Router } from 'express';
import { registerBody, loginBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse } from './parse.js';

export function authRoutes(services: Services): Router {
  const r = Router();
  r.post('/auth/register', async (req, res) => {
    res.status(201).json(await services.auth.register(parse(registerBody, req.body)));
  });
  r.post('/auth/login', async (req, res) => {
    res.json(await services.auth.login(parse(loginBody, req.body)));
  });
  return r;
}
