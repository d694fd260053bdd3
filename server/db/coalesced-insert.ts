import { groupCommit, type Member } from './group-commit.js';

/** The part of a driver collection that coalescing needs. */
export interface InsertTarget<T> {
  insertOne(doc: T): Promise<unknown>;
  insertMany(docs: T[], options: { ordered: true }): Promise<unknown>;
}

/**
 * Group commit for inserts into one collection (see group-commit): alone, an insert is sent at
 * once; the inserts asked for while one runs go together as one `insertMany`, so k rows cost
 * one round trip (and one database transaction) instead of k.
 *
 * Each caller still learns its own outcome. The batch is ordered: on an error the server has
 * stored the documents before the one that failed and none after it, so the first are done,
 * that one gets its error (a duplicate key error still reads as one: code 11000), and the rest
 * are sent again. Works the same against MongoDB and FerretDB (plain ordered inserts).
 */
export function coalescedInsert<T>(target: InsertTarget<T>, maxBatch = 100): (doc: T) => Promise<void> {
  async function insertBatch(batch: Array<Member<T, void>>): Promise<void> {
    if (batch.length === 1) {
      await target.insertOne(batch[0].input);
      return batch[0].resolve();
    }
    try {
      await target.insertMany(
        batch.map((m) => m.input),
        { ordered: true },
      );
      for (const m of batch) m.resolve();
    } catch (err) {
      const failed = firstWriteError(err);
      // Not a per-document error (the connection, the server): as with a single insert, the outcome is unknown.
      if (!failed || failed.index >= batch.length) throw err;
      for (const m of batch.slice(0, failed.index)) m.resolve();
      batch[failed.index].reject(Object.assign(new Error(failed.errmsg ?? 'insert failed'), { code: failed.code }));
      if (failed.index + 1 < batch.length) await insertBatch(batch.slice(failed.index + 1));
    }
  }
  const insert = groupCommit<null, T, void>((_, batch) => insertBatch(batch), maxBatch);
  return (doc: T) => insert(null, doc);
}

/** The first failed document of an ordered bulk insert (the driver's MongoBulkWriteError). */
function firstWriteError(err: unknown): { index: number; code?: number; errmsg?: string } | null {
  const errors = (err as { writeErrors?: unknown })?.writeErrors;
  const first = Array.isArray(errors) ? errors[0] : errors;
  const index = (first as { index?: unknown })?.index;
  if (typeof index !== 'number') return null;
  const f = first as { code?: number; errmsg?: string; err?: { code?: number; errmsg?: string } };
  return { index, code: f.code ?? f.err?.code, errmsg: f.errmsg ?? f.err?.errmsg };
}
