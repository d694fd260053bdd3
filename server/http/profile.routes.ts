import { Router } from 'express';
import { editProfileBody, specialRankBody, groupsBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';

/** Mounted before userRoutes: `/users/me` must not reach the `/users/:userId` id check. */
export function profileRoutes(services: Services): Router {
  const r = Router();
  r.get('/users/me', async (req, res) => {
    res.json(await services.profiles.mine(req.user));
  });
  r.patch('/users/me', async (req, res) => {
    const input = parse(editProfileBody, req.body);
    const own = await services.profiles.update(req.user, input);
    // This request counts in who-is-online once answered: with the flag as it now stands.
    if (req.user && input.hidden !== undefined) req.user.hidden = input.hidden;
    res.json(own);
  });
  r.patch('/users/:userId/rank', async (req, res) => {
    const userId = idParam(req.params.userId);
    const { specialRank } = parse(specialRankBody, req.body);
    res.json({ user: await services.profiles.setSpecialRank(req.user, userId, specialRank) });
  });
  r.patch('/users/:userId/groups', async (req, res) => {
    const userId = idParam(req.params.userId);
    const { groups } = parse(groupsBody, req.body);
    res.json({ user: await services.profiles.setGroups(req.user, userId, groups) });
  });
  return r;
}
