import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * Board-wide records, one document each, keyed by name: `mostOnline` is phpBB's "Most users
 * ever online was N on <date>" (`total` and when it was reached).
 */
export const boardRecordSchema = new Schema({
  _id: { type: String, required: true },
  total: { type: Number, required: true },
  at: { type: Date, required: true },
});

export type BoardRecord = InferSchemaType<typeof boardRecordSchema>;
export const createBoardRecordModel = (conn: Connection) => conn.model('BoardRecord', boardRecordSchema, 'board_records');
