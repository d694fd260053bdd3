import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import { groupCommit } from '../db/group-commit.js';

type UserRow = Record<string, unknown>;

/**
 * Each new post adds one to its author's post count and stamps their last post time. One
 * update runs per author at a time; posts by the same author that arrive meanwhile are counted
 * together when it returns (one `$inc` by their number, see group-commit). Every caller gets
 * the author's document as it stands after its update, for the post's author card.
 */
export function createAuthorCounts({ User }: Pick<Models, 'User'>) {
  const count = groupCommit<string, Date, UserRow | null>(async (authorId, group) => {
    const latest = group.reduce((a, m) => (m.input > a ? m.input : a), group[0].input);
    // Straight to the driver (see seq-claims): an id, a counter and a date need no casting.
    const user = Types.ObjectId.isValid(authorId)
      ? ((await User.collection.findOneAndUpdate({ _id: new Types.ObjectId(authorId) }, { $inc: { postCount: group.length }, $set: { lastPostAt: latest } }, { returnDocument: 'after' })) as UserRow | null)
      : null;
    for (const m of group) m.resolve(user);
  });
  return { countPost: (authorId: string, at: Date) => count(authorId, at) };
}
