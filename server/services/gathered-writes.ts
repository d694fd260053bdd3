import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Values gathered in memory by key and written every `flushMs`, off every request's path: each
 * flush takes what has gathered and writes it, one flush at a time, in order. A timer's flush
 * that comes while a write is still going (a paced write of a big batch) is skipped: what has
 * gathered waits for the next one, so a board busier than its flushes falls behind by one
 * batch at most, never by a growing queue of them. A failed write is reported to `failed` and
 * dropped. `close()` stops the timer and writes what is left.
 */
export function createGatheredWrites<V>({ flushMs, write, failed }: {
  flushMs: number;
  /** `pace.closing` turns true on shutdown, during a write too: write the rest at once rather than gently. */
  write: (batch: Map<string, V>, pace: Pace) => Promise<void>;
  failed: (err: unknown, size: number) => void;
}) {
  let pending = new Map<string, V>();
  let writing: Promise<void> = Promise.resolve();
  /** Batches taken and not yet written, oldest first. */
  const unfinished: Array<Map<string, V>> = [];
  let closing = false;
  const pace: Pace = {
    get closing() {
      return closing;
    },
  };

  /** Write what has gathered; one write at a time, in order. */
  function flush(): Promise<void> {
    const batch = pending;
    pending = new Map();
    unfinished.push(batch);
    writing = writing
      .then(() => write(batch, pace))
      .catch((err) => failed(err, batch.size))
      .finally(() => void unfinished.shift());
    return writing;
  }

  const timer = setInterval(() => {
    if (unfinished.length === 0 && pending.size > 0) void flush();
  }, flushMs);
  timer.unref();

  return {
    /** What has gathered for `key` since the last flush. */
    get: (key: string): V | undefined => pending.get(key),
    /** The latest value for `key` not yet written: gathered, or in a flush still being written. */
    unwritten(key: string): V | undefined {
      const here = pending.get(key);
      if (here !== undefined) return here;
      for (let i = unfinished.length - 1; i >= 0; i--) {
        const v = unfinished[i].get(key);
        if (v !== undefined) return v;
      }
      return undefined;
    },
    set: (key: string, value: V): void => void pending.set(key, value),
    flush: () => flush(),
    async close(): Promise<void> {
      clearInterval(timer);
      closing = true; // a paced write still going finishes without its pauses
      await flush();
    },
  };
}

/** Read as a write goes: `closing` turns true when the server shuts down. */
export interface Pace {
  readonly closing: boolean;
}

/**
 * Write `items` `size` at a time, each command followed by a pause `pauseFactor` times as long
 * as it took (at least `minPauseMs`; none after the last, nor once `pace.closing`), so that the posts
 * written meanwhile wait behind one short command at most, and rarely: the flush takes at most a
 * quarter of the database's time while it lasts. A flush of 5,000 members' last-active times at
 * once held replies up to 265 ms on FerretDB; 25 a command with pauses as long, 30-50 ms; 10 a
 * command with pauses three times as long, 22-28 ms, against 17-26 without a flush
 * (bench/tools/flush-cost.ts). The flush takes longer (5,000 members: ~16 s instead of ~7).
 */
export async function writePaced<T>(items: T[], size: number, write: (chunk: T[]) => Promise<unknown>, pace: Pace, { minPauseMs = 10, pauseFactor = 3 } = {}): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    const started = performance.now();
    await write(items.slice(i, i + size));
    if (!pace.closing && i + size < items.length) await sleep(Math.max(minPauseMs, (performance.now() - started) * pauseFactor));
  }
}
