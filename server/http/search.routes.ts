import { Router, type Request } from 'express';
import { searchQuery } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse } from './parse.js';

/** GET /search?q=&forumId=&authorId=&page=. `budget` spends one search (RATE_LIMITED when none is left). */
export function searchRoutes(services: Services, budget: (req: Request) => Promise<void>): Router {
  const r = Router();
  r.get('/search', async (req, res) => {
    const query = parse(searchQuery, req.query); // bad input is refused before it costs a search
    await budget(req);
    res.json(await services.search.search(req.user, query));
  });
  return r;
}
