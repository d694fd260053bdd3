import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * The moderation log: one document per moderation action, never changed afterwards. The
 * actor's name is copied in so the log still reads right after a rename or a deletion.
 */
export const modlogSchema = new Schema({
  action: { type: String, required: true },
  actorId: { type: Types.ObjectId, required: true },
  actorName: { type: String, required: true },
  targetType: { type: String, enum: ['topic', 'post', 'user', 'forum'], required: true },
  targetId: { type: Types.ObjectId, required: true },
  reason: { type: String },
  /** Action-specific facts (old and new forum, title, ban end) as JSON text: free-form keys never become stored field names. */
  details: { type: String },
  at: { type: Date, required: true, default: () => new Date() },
});
modlogSchema.index({ at: -1, _id: -1 });

export type ModlogRecord = InferSchemaType<typeof modlogSchema>;
export const createModlogModel = (conn: Connection) => conn.model('Modlog', modlogSchema);
