/** The part of a driver collection that coalescing needs. */
export interface InsertTarget<T> {
  insertOne(doc: T): Promise<unknown>;
  insertMany(docs: T[], options: { ordered: true }): Promise<unknown>;
}

interface Pending<T> {
  doc: T;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit for inserts: one insert runs at a time, and the inserts asked for meanwhile go
 * together as one `insertMany` when it is done. Alone, an insert is sent at once, as before;
 * under load, k inserts cost one round trip (and one database transaction) instead of k.
 *
 * Each caller still learns its own outcome. The batch is ordered: on an error the server has
 * stored the documents before the one that failed and none after it, so the first are done,
 * that one gets its error (a duplicate key error still reads as one: code 11000), and the rest
 * are sent again. Works the same against MongoDB and FerretDB (plain ordered inserts).
 */
export function coalescedInsert<T>(target: InsertTarget<T>, maxBatch = 100): (doc: T) => Promise<void> {
  let waiting: Array<Pending<T>> | null = null; // non-null while an insert is in flight

  async function drain(batch: Array<Pending<T>>): Promise<void> {
    for (;;) {
      await insertBatch(batch);
      if (!waiting!.length) {
        waiting = null;
        return;
      }
      batch = waiting!.splice(0, maxBatch);
    }
  }

  async function insertBatch(batch: Array<Pending<T>>): Promise<void> {
    if (batch.length === 1) {
      const [one] = batch;
      try {
        await target.insertOne(one.doc);
        one.resolve();
      } catch (err) {
        one.reject(err);
      }
      return;
    }
    try {
      await target.insertMany(
        batch.map((p) => p.doc),
        { ordered: true },
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      const failed = firstWriteError(err);
      if (!failed || failed.index >= batch.length) {
        // Not a per-document error (the connection, the server): as with a single insert, the outcome is unknown.
        for (const p of batch) p.reject(err);
        return;
      }
      for (const p of batch.slice(0, failed.index)) p.resolve();
      batch[failed.index].reject(Object.assign(new Error(failed.errmsg ?? 'insert failed'), { code: failed.code }));
      if (failed.index + 1 < batch.length) await insertBatch(batch.slice(failed.index + 1));
    }
  }

  return (doc: T) =>
    new Promise<void>((resolve, reject) => {
      const pending = { doc, resolve, reject };
      if (waiting) {
        waiting.push(pending);
        return;
      }
      waiting = [];
      void drain([pending]);
    });
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
