import { groupCommit } from './group-commit.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/**
 * Reads of one collection by `_id`, gathered as group commit gathers writes: alone, a read is
 * sent at once (no added wait at low load); the reads asked for while one runs go next, together,
 * as one `find({_id: {$in: [...]}})`. Each is answered by a read that began after it was asked
 * for, so it sees what a read of its own would (a ban, a revoked token, a topic's newest seq).
 * A reconnect storm's 1,000 token checks and 1,000 reads of one topic's head then cost tens of
 * queries instead of 2,000. An id that is not an ObjectId reads as not found.
 */
export function gatheredReads<V extends { _id: unknown }>(readMany: (ids: string[]) => Promise<V[]>, maxBatch = 200): (id: string) => Promise<V | null> {
  const read = groupCommit<null, string, V | null>(async (_, group) => {
    const ids = [...new Set(group.map((m) => m.input))];
    const rows = await readMany(ids);
    const byId = new Map(rows.map((row) => [String(row._id), row]));
    for (const m of group) m.resolve(byId.get(m.input) ?? null);
  }, maxBatch);
  return (id) => {
    const key = id.toLowerCase();
    return OBJECT_ID.test(key) ? read(null, key) : Promise.resolve(null);
  };
}
