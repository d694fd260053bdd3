import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One member's vote in one poll: `_id` is derived from (poll, member), so a first vote is an
 * insert that a concurrent twin cannot repeat, and a member's vote is read by `_id`. `rev` guards
 * a change (compare and set): two changes at once cannot both move the totals from one old vote.
 */
export const pollVoteSchema = new Schema(
  {
    pollId: { type: Types.ObjectId, required: true },
    userId: { type: Types.ObjectId, required: true },
    choices: { type: [Number], required: true },
    rev: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'poll_votes' },
);
// Removing a poll's votes, and recounting them.
pollVoteSchema.index({ pollId: 1 });

export type PollVoteRecord = InferSchemaType<typeof pollVoteSchema>;
export const createPollVoteModel = (conn: Connection) => conn.model('PollVote', pollVoteSchema);
