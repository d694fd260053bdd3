import { Types } from 'mongoose';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import { searchWords, type SearchQuery, type SearchResult } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import type { AuthUser } from './token.service.js';
import type { ForumService } from './forum.service.js';
import type { CardService } from './card.service.js';
import { policy } from './policy.js';
import { pageCountOf } from './views.js';
import { escapeRegExp } from '../render/snippet.js';
import { AppError, notFound } from '../errors.js';
import { createPostHits } from './post-hits.js';

/**
 * Search posts by words, newest first, among what the viewer may read: never deleted posts,
 * never posts of deleted topics (moderators, who may open a deleted topic, see its posts,
 * marked), never forums the viewer may not read (nor, for a limited API token, other forums).
 *
 * There is no text index (FerretDB v1 has none): each word is a case-insensitive `$regex` on
 * subject and body, so a search reads every post of the forums it covers. The cost is capped
 * by counting at most LIMITS.searchHitsMax hits (ids only), then loading one page of them.
 */
export function createSearchService({ models, forums: forumService, cardService }: { models: Models; forums: Pick<ForumService, 'readableRefs'>; cardService: Pick<CardService, 'cards'> }) {
  const { Topic, Post } = models;
  const postHits = createPostHits({ models, cardService });

  async function search(viewer: AuthUser | null, input: SearchQuery): Promise<SearchResult> {
    policy.requireScope(viewer, 'read');
    const words = [...new Map(searchWords(input.q ?? '').map((w) => [w.toLowerCase(), w])).values()];
    const moderator = policy.isModerator(viewer);
    // One topic: found as its page would be (a deleted one by moderators only), in its own forum.
    const topic = input.topicId ? await Topic.findById(input.topicId, { forumId: 1, deleted: 1 }).lean() : null;
    if (input.topicId && (!topic || (topic.deleted && !moderator))) throw notFound('Topic');
    if (topic && input.forumId && String(topic.forumId) !== input.forumId) throw new AppError('BAD_REQUEST', 'topicId: that topic is not in forumId');
    // The forums searched: the one asked for (refused as its listing would be), or every readable one.
    const forums = await forumService.readableRefs(viewer, topic ? String(topic.forumId) : input.forumId);
    const perPage = LIMITS.postsPerPage;
    if (!forums.length) return { hits: [], total: 0, page: 1, pageCount: 1, capped: false };

    const forumIds = forums.map((f) => new Types.ObjectId(f.id));
    const hiddenTopics = moderator || topic ? [] : (await Topic.find({ forumId: op({ $in: forumIds }), deleted: true }, { _id: 1 }).lean()).map((t) => t._id);
    const wordMatch = (w: string) => {
      const pattern = escapeRegExp(w);
      return { $or: [{ subject: op({ $regex: pattern, $options: 'i' }) }, { body: op({ $regex: pattern, $options: 'i' }) }] };
    };
    const filter = {
      deleted: false,
      forumId: op({ $in: forumIds }),
      ...(input.authorId ? { authorId: input.authorId } : {}),
      ...(topic ? { topicId: topic._id } : {}),
      ...(hiddenTopics.length ? { topicId: op({ $nin: hiddenTopics }) } : {}),
      // No words (an author's posts): no text condition at all ($and may not be empty).
      ...(words.length ? { $and: words.map(wordMatch) } : {}),
    };
    // The scan: ids of at most searchHitsMax + 1 matches (one more tells that there were more).
    const matched = await Post.find(filter, { _id: 1 }).sort({ createdAt: -1, _id: -1 }).limit(LIMITS.searchHitsMax + 1).lean();
    const capped = matched.length > LIMITS.searchHitsMax;
    const total = Math.min(matched.length, LIMITS.searchHitsMax);
    const pageCount = pageCountOf(total, perPage);
    const page = Math.min(input.page, pageCount);
    const ids = matched.slice((page - 1) * perPage, page * perPage).map((p) => p._id);
    if (!ids.length) return { hits: [], total, page, pageCount, capped };

    // One page, checked again as it is now: a post deleted, or a topic deleted or moved out of
    // reach since the scan, is left out (that page is then short).
    const hits = await postHits(ids, forums, moderator, words);
    return { hits, total, page, pageCount, capped };
  }

  return { search };
}
export type SearchService = ReturnType<typeof createSearchService>;
