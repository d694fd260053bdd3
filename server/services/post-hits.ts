import type { Types } from 'mongoose';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { SearchHit } from '../../shared/schemas.js';
import type { CardService } from './card.service.js';
import { htmlToText, snippetAround } from '../render/snippet.js';

/**
 * Posts as search hits (a light view: a plain-text snippet, no body), with their topic and
 * forum, in the order of `ids`, checked as they are now: a deleted post, a post of a deleted
 * topic (unless `moderator`, who sees it marked), or of a forum not in `forums` (those the
 * viewer may read) is left out. Search and bookmarks list posts this way.
 */
export function createPostHits({ models, cardService }: { models: Models; cardService: Pick<CardService, 'cards'> }) {
  const { Topic, Post } = models;

  return async function postHits(ids: Array<Types.ObjectId | string>, forums: Array<{ id: string; title: string }>, moderator: boolean, words: string[] = []): Promise<SearchHit[]> {
    if (!ids.length) return [];
    const rows = await Post.find(
      { _id: op({ $in: ids }), deleted: false },
      { topicId: 1, forumId: 1, authorId: 1, subject: 1, bodyHtml: 1, createdAt: 1, editedAt: 1, number: 1 },
    ).lean();
    const byId = new Map(rows.map((p) => [String(p._id), p]));
    const topics = await Topic.find({ _id: op({ $in: [...new Set(rows.map((p) => String(p.topicId)))] }) }, { title: 1, forumId: 1, deleted: 1 }).lean();
    const topicById = new Map(topics.map((t) => [String(t._id), t]));
    const forumById = new Map(forums.map((f) => [f.id, f]));
    const cards = await cardService.cards(rows.map((p) => String(p.authorId)));

    return ids.flatMap((id): SearchHit[] => {
      const p = byId.get(String(id));
      const t = p && topicById.get(String(p.topicId));
      if (!p || !t || (t.deleted && !moderator)) return [];
      const f = forumById.get(String(t.forumId));
      const author = cards.get(String(p.authorId));
      if (!f || !author) return [];
      return [{
        post: {
          id: String(p._id),
          topicId: String(p.topicId),
          forumId: String(t.forumId),
          number: p.number,
          subject: p.subject,
          author,
          createdAt: p.createdAt.toISOString(),
          ...(p.editedAt ? { editedAt: p.editedAt.toISOString() } : {}),
          snippet: snippetAround(htmlToText(p.bodyHtml), words),
        },
        topic: { id: String(t._id), title: t.title, ...(t.deleted ? { deleted: true as const } : {}) },
        forum: { id: f.id, title: f.title },
      }];
    });
  };
}
export type PostHits = ReturnType<typeof createPostHits>;
