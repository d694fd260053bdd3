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
    const user = (await User.findOneAndUpdate({ _id: authorId }, { $inc: { postCount: group.length }, $set: { lastPostAt: latest } }, { new: true }).lean()) as UserRow | null;
    for (const m of group) m.resolve(user);
  });
  return { countPost: (authorId: string, at: Date) => count(authorId, at) };
}
