import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A moderator's warning to a member (phpBB's "Warn user" / "Warn post"): why, by whom, for which
 * post if any (its subject copied in, as the moderation log does), and until when it counts.
 */
export const warningSchema = new Schema(
  {
    userId: { type: Types.ObjectId, required: true },
    moderatorId: { type: Types.ObjectId, required: true },
    moderatorName: { type: String, required: true },
    reason: { type: String, required: true },
    postId: { type: Types.ObjectId },
    topicId: { type: Types.ObjectId },
    postSubject: { type: String },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'warnings' },
);
// A member's warnings, newest first.
warningSchema.index({ userId: 1, createdAt: -1 });

export type WarningRecord = InferSchemaType<typeof warningSchema>;
export const createWarningModel = (conn: Connection) => conn.model('Warning', warningSchema);
