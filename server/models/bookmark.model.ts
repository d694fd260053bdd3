import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A member's bookmark of a post (phpBB's, Discourse's and NodeBB's bookmarks), with an optional
 * note. `_id` is derived from (member, post), so bookmarking twice is one bookmark.
 */
export const bookmarkSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true },
    postId: { type: Types.ObjectId, required: true },
    topicId: { type: Types.ObjectId, required: true },
    note: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'bookmarks' },
);
// A member's bookmarks, newest first.
bookmarkSchema.index({ userId: 1, createdAt: -1 });

export type BookmarkRecord = InferSchemaType<typeof bookmarkSchema>;
export const createBookmarkModel = (conn: Connection) => conn.model('Bookmark', bookmarkSchema);
