import type { Request, Response, NextFunction } from 'express';
import type { TopicViews } from '../services/topic-views.js';
import type { CrawlerDetector } from '../presence/crawlers.js';
import { objectId, pageQuery } from '../../shared/schemas.js';

const TOPIC_PATH = /^\/topics\/([^/]+)\/?$/;

/** The topic and page a `GET /topics/:id?page=N` asked for (path relative to the API mount; for counting views). */
function topicAsked(method: string, path: string, query: unknown): { topicId: string; page?: number } | undefined {
  if (method !== 'GET') return undefined;
  const match = TOPIC_PATH.exec(path);
  const id = match && objectId.safeParse(match[1]);
  if (!id?.success) return undefined;
  const page = pageQuery.safeParse(query ?? {});
  return { topicId: id.data, page: page.success ? page.data.page : undefined };
}

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
