import { Router } from 'express';
import { markNotificationsReadBody, pageQuery } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse } from './parse.js';

/** GET /notifications?page=N, POST /notifications/read `{ids?}`: the signed-in member's own. */
export function notificationRoutes(services: Services): Router {
  const r = Router();
  r.get('/notifications', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.notifications.page(req.user, page));
  });
  r.post('/notifications/read', async (req, res) => {
    const { ids } = parse(markNotificationsReadBody, req.body ?? {});
    res.json(await services.notifications.markRead(req.user, ids));
  });
  return r;
}
