import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A private conversation between members (phpBB's private messages): who is in it, its title,
 * and what a listing shows of its last message. `messageCount` numbers the messages: each new
 * one takes the next value with one atomic `$inc` (see services/conversation.service.ts).
 */
export const conversationSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  title: { type: String, required: true },
  /** Its starter first. */
  participantIds: { type: [Types.ObjectId], required: true },
  participantNames: { type: [String], required: true },
  createdAt: { type: Date, required: true },
  messageCount: { type: Number, required: true, default: 0 },
  lastMessageAt: { type: Date, required: true },
  lastMessage: {
    id: { type: String, required: true },
    authorId: { type: String, required: true },
    authorName: { type: String, required: true },
    snippet: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
});
// A member's conversations, last written in first.
conversationSchema.index({ participantIds: 1, lastMessageAt: -1 });

export type ConversationRecord = InferSchemaType<typeof conversationSchema>;
export const createConversationModel = (conn: Connection) => conn.model('Conversation', conversationSchema);
