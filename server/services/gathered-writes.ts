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
