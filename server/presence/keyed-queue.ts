/**
 * Run jobs one after another per key (a socket id): a join must not overtake the connect it
 * follows when the store or a lookup answers asynchronously. A failed job is reported and
 * does not block the ones behind it.
 */
export function createKeyedQueue(onError: (err: unknown, key: string) => void) {
  const tails = new Map<string, Promise<void>>();
  return function enqueue(key: string, job: () => Promise<void> | void): Promise<void> {
    const next = (tails.get(key) ?? Promise.resolve()).then(job).catch((err) => onError(err, key));
    tails.set(key, next);
    void next.then(() => {
      if (tails.get(key) === next) tails.delete(key);
    });
    return next;
  };
}
