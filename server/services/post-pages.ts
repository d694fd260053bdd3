import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import { LIMITS } from '../../shared/limits.js';

/**
 * The page of a topic holding its post numbered `number`: pages are built from the visible
 * posts in number order, so after deletions a post's page is not `ceil(number / perPage)`.
 */
export async function pageHolding(Post: Models['Post'], topicId: string, number: number): Promise<number> {
  const before = await Post.countDocuments({ topicId, deleted: false, number: op({ $lt: number }) });
  return Math.floor(before / LIMITS.postsPerPage) + 1;
}
