import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * How far one member has read one topic: the highest post `number` they have seen (it only
 * goes up). `_id` is derived from (userId, topicId) (see services/unread.service.ts readIdFor),
 * so every lookup is by `_id`: FerretDB's SQLite backend scans for any other filter.
 */
export const topicReadSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  userId: { type: Types.ObjectId, required: true },
  topicId: { type: Types.ObjectId, required: true },
  number: { type: Number, required: true },
  /** When it last moved (or was confirmed). */
  at: { type: Date, required: true },
});
// The rule's second guard (the derived _id is the first), and a member's rows on MongoDB.
topicReadSchema.index({ userId: 1, topicId: 1 }, { unique: true });

export type TopicReadRecord = InferSchemaType<typeof topicReadSchema>;
export const createTopicReadModel = (conn: Connection) => conn.model('TopicRead', topicReadSchema, 'topic_reads');
