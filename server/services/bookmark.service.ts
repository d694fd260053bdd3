import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import type { Bookmark, BookmarkBody, BookmarksPage } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import { derivedId } from '../db/derived-id.js';
import { op } from '../db/connect.js';
import { AppError } from '../errors.js';
import { createReadablePost } from './readable-post.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import type { ForumService } from './forum.service.js';
import type { PostHits } from './post-hits.js';
import { policy } from './policy.js';
import { pageCountOf } from './views.js';

const bookmarkIdFor = (userId: string, postId: string) => derivedId('bookmark', userId, postId);

interface BookmarkRecordLike {
  postId: unknown;
  topicId: unknown;
  note?: string | null;
  createdAt: Date;
}

const toView = (b: BookmarkRecordLike): Bookmark => ({
  postId: String(b.postId),
  topicId: String(b.topicId),
  ...(b.note ? { note: b.note } : {}),
  createdAt: b.createdAt.toISOString(),
});

/**
 * Bookmarks: a member keeps posts to come back to, each with an optional note. Bookmarking is
 * an upsert on an `_id` derived from member and post (twice is once); the list shows each post
 * as search does, as it is now, leaving out what the member may no longer read.
 */
export function createBookmarkService({ models, access, forums, postHits }: {
  models: Models;
  access: Pick<AccessService, 'requireRead'>;
  forums: Pick<ForumService, 'readableRefs'>;
  postHits: PostHits;
}) {
  const { Bookmark: Bookmarks } = models;
  const readablePost = createReadablePost({ models, access });

  return {
    /** PUT /posts/:postId/bookmark: bookmark it, or change the note of its bookmark. */
    async add(user: AuthUser | null, postId: string, input: BookmarkBody): Promise<{ bookmark: Bookmark }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      const post = await readablePost(member, postId);
      const _id = bookmarkIdFor(member.id, postId);
      const exists = await Bookmarks.exists({ _id });
      if (!exists && (await Bookmarks.countDocuments({ userId: member.id })) >= LIMITS.bookmarksMax) {
        throw new AppError('FORBIDDEN', `At most ${LIMITS.bookmarksMax} bookmarks: remove some first`);
      }
      const note = input.note === undefined ? {} : input.note ? { $set: { note: input.note } } : { $unset: { note: 1 } };
      const row = await Bookmarks.findOneAndUpdate(
        { _id },
        { ...note, $setOnInsert: { userId: new Types.ObjectId(member.id), postId: new Types.ObjectId(postId), topicId: post.topicId, createdAt: new Date() } },
        { upsert: true, new: true },
      ).lean();
      return { bookmark: toView(row as BookmarkRecordLike) };
    },

    /** DELETE /posts/:postId/bookmark (none: nothing changes). */
    async remove(user: AuthUser | null, postId: string): Promise<{ postId: string; bookmarked: false }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      await Bookmarks.deleteOne({ _id: bookmarkIdFor(member.id, postId) });
      return { postId, bookmarked: false };
    },

    /** GET /bookmarks: newest first, each post as a search hit, as it is now. */
    async page(user: AuthUser | null, page: number): Promise<BookmarksPage> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'read');
      const total = await Bookmarks.countDocuments({ userId: member.id });
      const pageCount = pageCountOf(total, LIMITS.bookmarksPerPage);
      const current = Math.min(page, pageCount);
      const rows = await Bookmarks.find({ userId: member.id })
        .sort({ createdAt: -1, _id: -1 })
        .skip((current - 1) * LIMITS.bookmarksPerPage)
        .limit(LIMITS.bookmarksPerPage)
        .lean();
      const hits = await postHits(rows.map((b) => String(b.postId)), await forums.readableRefs(member), policy.isModerator(member));
      const byPost = new Map(rows.map((b) => [String(b.postId), b]));
      const bookmarks = hits.map((hit) => {
        const b = byPost.get(hit.post.id)!;
        return { ...hit, ...(b.note ? { note: b.note } : {}), bookmarkedAt: b.createdAt.toISOString() };
      });
      return { bookmarks, total, page: current, pageCount };
    },

    /** Of these posts, those the member bookmarked (for the topic page). */
    async among(userId: string, postIds: string[]): Promise<string[]> {
      if (!postIds.length) return [];
      const ids = postIds.map((p) => bookmarkIdFor(userId, p));
      return (await Bookmarks.find({ _id: op({ $in: ids }) }, { postId: 1 }).lean()).map((b) => String(b.postId));
    },
  };
}
export type BookmarkService = ReturnType<typeof createBookmarkService>;
