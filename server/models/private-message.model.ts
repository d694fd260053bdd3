import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/** One message of a private conversation, numbered from 1 in its conversation. */
export const privateMessageSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  conversationId: { type: Types.ObjectId, required: true },
  authorId: { type: Types.ObjectId, required: true },
  authorName: { type: String, required: true },
  body: { type: String, required: true },
  bodyHtml: { type: String, required: true },
  number: { type: Number, required: true },
  createdAt: { type: Date, required: true },
  editedAt: { type: Date },
  editCount: { type: Number },
  /** Deleted by its author: `body` and `bodyHtml` are emptied, the number and author stay. */
  deleted: { type: Boolean },
  deletedAt: { type: Date },
});
// A conversation's pages, and each number once.
privateMessageSchema.index({ conversationId: 1, number: 1 }, { unique: true });

export type PrivateMessageRecord = InferSchemaType<typeof privateMessageSchema>;
export const createPrivateMessageModel = (conn: Connection) => conn.model('PrivateMessage', privateMessageSchema, 'private_messages');
