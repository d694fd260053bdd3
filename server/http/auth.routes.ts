import { Router } from 'express';
import { z } from 'zod';
import { registerBody, loginBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse } from './parse.js';
import { loggedOut } from './activity.js';

const passwordChangeBody = z.strictObject({ currentPassword: loginBody.shape.password, newPassword: registerBody.shape.password });

export function authRoutes(services: Services): Router {
  const r = Router();
  r.post('/auth/register', async (req, res) => {
    res.status(201).json(await services.auth.register(parse(registerBody, req.body)));
  });
  r.post('/auth/login', async (req, res) => {
    res.json(await services.auth.login(parse(loginBody, req.body)));
  });
  // Password change: every older token of the user stops working; the answer carries a new one.
  r.post('/auth/password', async (req, res) => {
    res.json(await services.auth.changePassword(req.user, parse(passwordChangeBody, req.body)));
  });
  // Logout: this login's token stops working on every node and its sockets are dropped.
  r.post('/auth/logout', async (req, res) => {
    parse(z.strictObject({}), req.body ?? {});
    const answer = await services.auth.logout(req.user);
    loggedOut(res);
    res.json(answer);
  });
  return r;
}
