import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A new member's post held for a moderator's approval (phpBB's "Posts awaiting approval"): a
 * reply or a new topic, with what the post path needs to store it when approved. `_id` is derived
 * from (author, clientId) when the client sent one, so a retry finds the held post instead of
 * holding it twice. `approvingAt` marks one moderator's approval in progress (two never post it twice).
 */
export const queuedPostSchema = new Schema(
  {
    _id: { type: Types.ObjectId, required: true },
    kind: { type: String, enum: ['reply', 'topic'], required: true },
    authorId: { type: Types.ObjectId, required: true },
    authorName: { type: String, required: true },
    forumId: { type: Types.ObjectId, required: true },
    topicId: { type: Types.ObjectId },
    /** The topic's title: the one replied to, or the new topic's. */
    topicTitle: { type: String, required: true },
    /** Replies: the subject asked for, if any (else "Re: <title>" when posted). */
    subject: { type: String },
    body: { type: String, required: true },
    bodyHtml: { type: String, required: true },
    clientId: { type: String },
    /** A new topic's poll input, as sent (validated then). */
    poll: { type: Schema.Types.Mixed },
    /** A new topic's tags, as sent. */
    tags: { type: [String], default: undefined },
    createdAt: { type: Date, required: true },
    approvingAt: { type: Date },
  },
  { collection: 'queued_posts' },
);
// The queue, oldest first.
queuedPostSchema.index({ createdAt: 1 });
// A member's own held posts (GET /queue/mine).
queuedPostSchema.index({ authorId: 1, createdAt: 1 });

export type QueuedPostRecord = InferSchemaType<typeof queuedPostSchema>;
export const createQueuedPostModel = (conn: Connection) => conn.model('QueuedPost', queuedPostSchema);
