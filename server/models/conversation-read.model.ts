import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * How far one member has read one conversation: the highest message `number` (it only goes
 * up). `_id` is derived from (userId, conversationId), so every lookup is by `_id`.
 */
export const conversationReadSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  userId: { type: Types.ObjectId, required: true },
  conversationId: { type: Types.ObjectId, required: true },
  number: { type: Number, required: true },
});

export type ConversationReadRecord = InferSchemaType<typeof conversationReadSchema>;
export const createConversationReadModel = (conn: Connection) => conn.model('ConversationRead', conversationReadSchema, 'conversation_reads');
