import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A member watching a topic (phpBB's "Subscribe topic", Discourse's "Watching": told of its
 * replies) or a forum ("Subscribe forum": told of its new topics). `_id` is derived from
 * (kind, userId, targetId) (services/watch.service.ts), so a watch is made and dropped by `_id`.
 */
export const watchSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  kind: { type: String, enum: ['topic', 'forum'], required: true },
  userId: { type: Types.ObjectId, required: true },
  targetId: { type: Types.ObjectId, required: true },
  at: { type: Date, required: true },
});
// A topic's or a forum's watchers.
watchSchema.index({ targetId: 1, kind: 1 });

export type WatchRecord = InferSchemaType<typeof watchSchema>;
export const createWatchModel = (conn: Connection) => conn.model('Watch', watchSchema, 'watches');
