import { Router } from 'express';
import type { PresenceService } from '../presence/presence.service.js';
import { httpVisit } from './activity.js';

/** `GET /online`: the who-is-online snapshot; moderators also get hidden members, flagged. */
export function onlineRoutes(presence: PresenceService): Router {
  const r = Router();
  r.get('/online', async (req, res) => {
    // The asker is online too, and sees themselves already in this answer.
    await presence.httpActivity(httpVisit(req));
    res.json(await presence.online(req.user ?? null));
  });
  return r;
}
