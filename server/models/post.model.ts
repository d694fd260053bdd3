import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

export const postSchema = new Schema({
  topicId: { type: Types.ObjectId, required: true },
  forumId: { type: Types.ObjectId, required: true },
  authorId: { type: Types.ObjectId, required: true },
  subject: { type: String, required: true },
  body: { type: String, required: true },
  bodyHtml: { type: String, required: true },
  createdAt: { type: Date, required: true },
  editedAt: { type: Date },
  /** Accepted edits so far; absent on posts never edited (and on posts stored before it was kept). */
  editCount: { type: Number },
  /** The last editor (a moderator editing someone's post is named here), as phpBB's "Last edited by". */
  editedBy: { type: new Schema({ id: { type: Types.ObjectId, required: true }, username: { type: String, required: true } }, { _id: false }) },
  /** The reason the last edit's editor gave, if any (phpBB's "Reason for edit"). */
  editReason: { type: String },
  number: { type: Number, required: true },
  /** The topic seq of the last change to this post (guards against out-of-order writes). */
  seq: { type: Number, required: true },
  thanksCount: { type: Number, default: 0, required: true },
  deleted: { type: Boolean, default: false, required: true },
  deletedBy: { type: Types.ObjectId },
  /** The client's idempotency key; the post's own id when none was sent (FerretDB v1 has no partial indexes). */
  clientId: { type: String, required: true },
});
postSchema.index({ topicId: 1, deleted: 1, number: 1 });
postSchema.index({ topicId: 1, createdAt: 1 });
postSchema.index({ authorId: 1, clientId: 1 }, { unique: true });

export type PostRecord = InferSchemaType<typeof postSchema>;
export const createPostModel = (conn: Connection) => conn.model('Post', postSchema);
