import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A member watching a topic (phpBB's "Subscribe topic", Discourse's "Watching"): they are told
 * of replies to it. `_id` is derived from (userId, topicId) (services/watch.service.ts), so a
 * watch is made and dropped by `_id`.
 */
export const topicWatchSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  userId: { type: Types.ObjectId, required: true },
  topicId: { type: Types.ObjectId, required: true },
  at: { type: Date, required: true },
});
// A topic's watchers.
topicWatchSchema.index({ topicId: 1 });

export type TopicWatchRecord = InferSchemaType<typeof topicWatchSchema>;
export const createTopicWatchModel = (conn: Connection) => conn.model('TopicWatch', topicWatchSchema, 'topic_watches');
