import type { Request, Response, NextFunction } from 'express';
import type { TopicViews } from '../services/topic-views.js';
import type { CrawlerDetector } from '../presence/crawlers.js';
import { topicAsked } from './activity.js';

/** Who a topic view is counted for: a member by id, a guest by address; API tokens (bots) and crawlers not at all. */
function viewerOf(req: Request, detectCrawler: CrawlerDetector): string | null {
  if (req.user) return req.user.scopes ? null : `u:${req.user.id}`;
  const ua = req.headers['user-agent'];
  if (detectCrawler(typeof ua === 'string' ? ua : undefined)) return null;
  return `g:${req.ip ?? req.socket.remoteAddress ?? ''}`;
}

/**
 * Count a topic's view once a page of it was served (200): phpBB's "Views". Mounted on the API
 * router beside recordActivity; it reads `req.user` when the answer is done, as that does.
 */
export function countTopicViews(views: Pick<TopicViews, 'viewed'>, detectCrawler: CrawlerDetector) {
  return (req: Request, res: Response, next: NextFunction) => {
    const asked = topicAsked(req.method, req.path, req.query);
    if (asked) {
      res.on('finish', () => {
        if (res.statusCode !== 200) return;
        const viewer = viewerOf(req, detectCrawler);
        if (viewer) views.viewed(asked.topicId, viewer);
      });
    }
    next();
  };
}
