import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Values gathered in memory by key and written every `flushMs`, off every request's path: each
 * flush takes what has gathered and writes it, one flush at a time, in order. A failed write is
 * reported to `failed` and dropped. `close()` stops the timer and writes what is left.
 */
export function createGatheredWrites<V>({ flushMs, write, failed }: {
  flushMs: number;
  /** `closing`: the last flush, on shutdown (write it at once rather than gently). */
  write: (batch: Map<string, V>, opts: { closing: boolean }) => Promise<void>;
  failed: (err: unknown, size: number) => void;
}) {
  let pending = new Map<string, V>();
  let writing: Promise<void> = Promise.resolve();

  /** Write what has gathered; one write at a time, in order. */
  function flush(closing = false): Promise<void> {
    const batch = pending;
    pending = new Map();
    writing = writing.then(() => write(batch, { closing })).catch((err) => failed(err, batch.size));
    return writing;
  }

  const timer = setInterval(() => void flush(), flushMs);
  timer.unref();

  return {
    get: (key: string): V | undefined => pending.get(key),
    set: (key: string, value: V): void => void pending.set(key, value),
    flush: () => flush(),
    async close(): Promise<void> {
      clearInterval(timer);
      await flush(true);
    },
  };
}

/**
 * Write `items` `size` at a time, each command followed by a pause as long as it took (at least
 * `minPauseMs`; none after the last, nor when `closing`), so that the posts written meanwhile
 * wait behind one command at most, never behind the whole flush. A flush of 5,000 members'
 * last-active times at once held replies up to 265 ms on FerretDB; paced, 30-50 ms
 * (bench/tools/flush-cost.ts).
 */
export async function writePaced<T>(items: T[], size: number, write: (chunk: T[]) => Promise<unknown>, { closing, minPauseMs = 10 }: { closing: boolean; minPauseMs?: number }): Promise<void> {
  for (let i = 0; i < items.length; i += size) {
    const started = performance.now();
    await write(items.slice(i, i + size));
    if (!closing && i + size < items.length) await sleep(Math.max(minPauseMs, performance.now() - started));
  }
}
