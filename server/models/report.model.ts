import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A member's report of a post (phpBB's "Report this post"), open until a moderator closes it.
 * What the post was when reported (its place, author and the start of its text) is copied in,
 * so the queue reads one collection and still reads right after an edit or a deletion.
 */
export const reportSchema = new Schema({
  status: { type: String, enum: ['open', 'closed'], required: true },
  reason: { type: String, required: true },
  reporterId: { type: Types.ObjectId, required: true },
  reporterName: { type: String, required: true },
  postId: { type: Types.ObjectId, required: true },
  topicId: { type: Types.ObjectId, required: true },
  forumId: { type: Types.ObjectId, required: true },
  postNumber: { type: Number, required: true },
  authorId: { type: Types.ObjectId, required: true },
  authorName: { type: String, required: true },
  snippet: { type: String, required: true },
  topicTitle: { type: String, required: true },
  createdAt: { type: Date, required: true },
  closedById: { type: Types.ObjectId },
  closedByName: { type: String },
  closedAt: { type: Date },
  note: { type: String },
});
// The queue, newest first; a member's open report of a post.
reportSchema.index({ status: 1, createdAt: -1 });
reportSchema.index({ postId: 1, reporterId: 1 });

export type ReportRecord = InferSchemaType<typeof reportSchema>;
export const createReportModel = (conn: Connection) => conn.model('Report', reportSchema);
