import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One "thanks" from one member for one post. The source of truth the counters on posts
 * and users are derived from (and rebuilt from by `npm run cli -- recount`).
 */
export const thanksSchema = new Schema({
  postId: { type: Types.ObjectId, required: true },
  giverId: { type: Types.ObjectId, required: true },
  /** The post's author when the thanks was given. */
  receiverId: { type: Types.ObjectId, required: true },
  topicId: { type: Types.ObjectId, required: true },
  createdAt: { type: Date, default: () => new Date(), required: true },
});
// A member thanks a post at most once: the insert that loses a race gets a duplicate-key error.
thanksSchema.index({ postId: 1, giverId: 1 }, { unique: true });

export type ThanksRecord = InferSchemaType<typeof thanksSchema>;
export const createThanksModel = (conn: Connection) => conn.model('Thanks', thanksSchema);
