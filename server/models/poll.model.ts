import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A topic's poll. The topic names it (`Topic.pollId`); each vote moves `options.N.votes`,
 * `voterCount` and `rev` in one atomic `$inc`, so the totals are read with the poll itself.
 * `recount` rebuilds the totals from `poll_votes` should a process die between the two writes.
 */
export const pollSchema = new Schema({
  topicId: { type: Types.ObjectId, required: true },
  authorId: { type: Types.ObjectId, required: true },
  question: { type: String, required: true },
  options: { type: [{ _id: false, text: { type: String, required: true }, votes: { type: Number, required: true } }], required: true },
  maxChoices: { type: Number, required: true },
  allowVoteChange: { type: Boolean, required: true },
  /** When the totals are shown: `always`, or once it has closed (absent on polls from before: always). */
  results: { type: String, enum: ['always', 'closed'] },
  voterCount: { type: Number, required: true },
  rev: { type: Number, required: true },
  createdAt: { type: Date, required: true },
  closesAt: { type: Date },
});

export type PollRecord = InferSchemaType<typeof pollSchema>;
export const createPollModel = (conn: Connection) => conn.model('Poll', pollSchema);
