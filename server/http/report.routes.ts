import { Router } from 'express';
import { closeReportBody, reportPostBody, reportsQuery } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { idParam, parse } from './parse.js';

/** Reporting a post (members), and the moderators' queue of reports. */
export function reportRoutes(services: Services): Router {
  const r = Router();
  r.post('/posts/:postId/report', async (req, res) => {
    const postId = idParam(req.params.postId);
    const { reason } = parse(reportPostBody, req.body);
    const { report, created } = await services.reports.report(req.user, postId, reason);
    res.status(created ? 201 : 200).json({ report });
  });
  r.get('/reports', async (req, res) => {
    const { status, page } = parse(reportsQuery, req.query);
    res.json(await services.reports.list(req.user, status, page));
  });
  r.post('/reports/:reportId/close', async (req, res) => {
    const reportId = idParam(req.params.reportId);
    const { note } = parse(closeReportBody, req.body ?? {});
    res.json(await services.reports.close(req.user, reportId, note));
  });
  return r;
}
