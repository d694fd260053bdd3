import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * An uploaded file (phpBB's attachments, Discourse's uploads), kept whole in one document: files
 * are at most ATTACHMENT_MAX_BYTES (a few MiB, far under a document's 16 MiB), so one read
 * serves one file on MongoDB and FerretDB alike. `_id` is 32 random hex digits: the URL is the
 * key, as for Discourse's uploads (see the README).
 */
export const attachmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    ownerId: { type: Types.ObjectId, required: true },
    /** The file name as uploaded, cleaned (no path, no control characters, at most 100 characters). */
    name: { type: String, required: true },
    /** The type its bytes say (never the uploader's claim). */
    type: { type: String, required: true },
    size: { type: Number, required: true },
    data: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
    /**
     * Found shown somewhere (a post, a message, an avatar...) by the orphan sweep, which then
     * never looks at it again. Uploads start `false`; those stored before the sweep existed have
     * none, and the sweep leaves them alone.
     */
    used: { type: Boolean },
  },
  { collection: 'attachments' },
);
// A member's uploads, newest first (the UCP list).
attachmentSchema.index({ ownerId: 1, createdAt: -1 });
// The orphan sweep's candidates: not yet found in use, oldest first.
attachmentSchema.index({ used: 1, createdAt: 1 });

export type AttachmentRecord = InferSchemaType<typeof attachmentSchema>;
export const createAttachmentModel = (conn: Connection) => conn.model('Attachment', attachmentSchema);
