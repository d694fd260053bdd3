import type { Models } from '../models/index.js';

type UserRow = Record<string, unknown>;

interface Pending {
  at: Date;
  resolve(user: UserRow | null): void;
  reject(err: unknown): void;
}

/** At most this many posts share one count update. */
const MAX_BATCH = 64;

/**
 * Each new post adds one to its author's post count and stamps their last post time. One
 * update runs per author at a time; posts by the same author that arrive meanwhile are counted
 * together when it returns (one `$inc` by their number). Every caller gets the author's
 * document as it stands after its update, for the post's author card.
 */
export function createAuthorCounts({ User }: Pick<Models, 'User'>) {
  const waiting = new Map<string, Pending[]>();

  function countPost(authorId: string, at: Date): Promise<UserRow | null> {
    return new Promise((resolve, reject) => {
      const pending = { at, resolve, reject };
      const queue = waiting.get(authorId);
      if (queue) return void queue.push(pending);
      waiting.set(authorId, []);
      void drain(authorId, [pending]);
    });
  }

  async function drain(authorId: string, batch: Pending[]): Promise<void> {
    for (;;) {
      try {
        const latest = batch.reduce((a, p) => (p.at > a ? p.at : a), batch[0].at);
        const user = (await User.findOneAndUpdate({ _id: authorId }, { $inc: { postCount: batch.length }, $set: { lastPostAt: latest } }, { new: true }).lean()) as UserRow | null;
        for (const p of batch) p.resolve(user);
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
      const queue = waiting.get(authorId)!;
      if (!queue.length) return void waiting.delete(authorId);
      batch = queue.splice(0, MAX_BATCH);
    }
  }

  return { countPost };
}
