import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A post as it was before an edit (Discourse's revisions): version 0 is the post as first
 * written, version N what the Nth edit made, kept when the next edit replaces it. `_id` is
 * derived from (post, version), so keeping one twice changes nothing.
 */
export const postRevisionSchema = new Schema(
  {
    postId: { type: Types.ObjectId, required: true },
    version: { type: Number, required: true },
    subject: { type: String, required: true },
    body: { type: String, required: true },
    bodyHtml: { type: String, required: true },
    /** When this version was written, and by whom (the author, or the editor of that edit). */
    writtenAt: { type: Date, required: true },
    writtenById: { type: Types.ObjectId, required: true },
    writtenByName: { type: String },
    /** The reason given for the edit that wrote this version, if any. */
    reason: { type: String },
  },
  { collection: 'post_revisions' },
);
// A post's history, in order.
postRevisionSchema.index({ postId: 1, version: 1 });

export type PostRevisionRecord = InferSchemaType<typeof postRevisionSchema>;
export const createPostRevisionModel = (conn: Connection) => conn.model('PostRevision', postRevisionSchema);
