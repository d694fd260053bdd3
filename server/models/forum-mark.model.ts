import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * "Mark forum read" (forumId set) and "mark all read" (forumId null, one row per member): every
 * topic whose last post is no newer than `at` counts as read there. `_id` is derived from
 * (userId, forumId) (see services/unread.service.ts markIdFor), so lookups are by `_id`.
 */
export const forumMarkSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  userId: { type: Types.ObjectId, required: true },
  forumId: { type: Types.ObjectId, default: null },
  at: { type: Date, required: true },
});
forumMarkSchema.index({ userId: 1, forumId: 1 }, { unique: true });

export type ForumMarkRecord = InferSchemaType<typeof forumMarkSchema>;
export const createForumMarkModel = (conn: Connection) => conn.model('ForumMark', forumMarkSchema, 'forum_marks');
