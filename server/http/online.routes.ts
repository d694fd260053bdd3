import { Router } from 'express';
import type { PresenceService } from '../presence/presence.service.js';
import type { BoardStatsService } from '../services/board-stats.service.js';
import { httpVisit } from './activity.js';

/** `GET /online`: the who-is-online snapshot; moderators also get hidden members, flagged. `GET /stats`: the board's statistics. */
export function onlineRoutes(presence: PresenceService, boardStats: Pick<BoardStatsService, 'stats'>): Router {
  const r = Router();
  r.get('/online', async (req, res) => {
    // The asker is online too, and sees themselves already in this answer.
    await presence.httpActivity(httpVisit(req));
    res.json(await presence.online(req.user ?? null));
  });
  r.get('/stats', async (_req, res) => {
    res.json(await boardStats.stats());
  });
  return r;
}
