import { Router } from 'express';
import type { Services } from '../services/index.js';
import { idParam, parse } from './parse.js';
import { membersQuery, userPrefixQuery } from '../../shared/schemas.js';
import { notFound } from '../errors.js';

export function userRoutes(services: Services): Router {
  const r = Router();
  r.get('/users', async (req, res) => {
    const { prefix } = parse(userPrefixQuery, req.query);
    res.json(await services.profiles.suggest(req.user, prefix));
  });
  r.get('/members', async (req, res) => {
    res.json(await services.members.list(req.user, parse(membersQuery, req.query)));
  });
  r.put('/users/:userId/ignore', async (req, res) => {
    res.json(await services.ignores.ignore(req.user, idParam(req.params.userId)));
  });
  r.delete('/users/:userId/ignore', async (req, res) => {
    res.json(await services.ignores.unignore(req.user, idParam(req.params.userId)));
  });
  r.put('/users/:userId/friend', async (req, res) => {
    res.json(await services.friends.friend(req.user, idParam(req.params.userId)));
  });
  r.delete('/users/:userId/friend', async (req, res) => {
    res.json(await services.friends.unfriend(req.user, idParam(req.params.userId)));
  });
  r.get('/users/:userId/activity', async (req, res) => {
    res.json(await services.memberActivity.of(req.user, idParam(req.params.userId)));
  });
  r.get('/users/:userId', async (req, res) => {
    const userId = idParam(req.params.userId);
    const user = await services.cards.card(userId);
    if (!user) throw notFound('User');
    // phpBB's "Last active": absent when the member hides their online status from this reader.
    const lastActiveAt = await services.lastActive.of(req.user, userId);
    res.json({ user, ...(lastActiveAt !== undefined && { lastActiveAt }) });
  });
  return r;
}
