/**
 * Run jobs one after another per key, each job's result (or error) going to its own caller: a
 * job starts when the one before it for the same key has settled, whatever its outcome. Keys
 * with nothing pending are forgotten.
 */
export function createKeyedSerializer() {
  const tails = new Map<string, Promise<void>>();
  return function inOrder<T>(key: string, job: () => Promise<T> | T): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(job);
    const tail = result.then(
      () => {},
      () => {},
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

/**
 * Run jobs one after another per key (a socket id): a join must not overtake the connect it
 * follows when the store or a lookup answers asynchronously. A failed job is reported and
 * does not block the ones behind it.
 */
export function createKeyedQueue(onError: (err: unknown, key: string) => void) {
  const inOrder = createKeyedSerializer();
  return (key: string, job: () => Promise<void> | void): Promise<void> => inOrder(key, job).catch((err) => onError(err, key));
}
