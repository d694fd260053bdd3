import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/** The durable per-topic event log. `data` is the event payload as JSON text, sent as-is on replay. */
export const eventSchema = new Schema({
  topicId: { type: Types.ObjectId, required: true },
  forumId: { type: Types.ObjectId, required: true },
  seq: { type: Number, required: true },
  forumSeq: { type: Number, required: true },
  type: { type: String, required: true },
  data: { type: String, required: true },
  at: { type: Date, required: true },
});
eventSchema.index({ topicId: 1, seq: 1 }, { unique: true });
eventSchema.index({ forumId: 1, forumSeq: 1 }, { unique: true });
eventSchema.index({ at: 1 });

export type EventRecord = InferSchemaType<typeof eventSchema>;
export const createEventModel = (conn: Connection) => conn.model('Event', eventSchema);
