/**
 * Runs tasks one at a time per key, in arrival order, each task's result (or error) going to
 * its own caller; a task starts once the one before it for the same key has settled, whatever
 * its outcome. Keys with nothing pending are forgotten. One process only: several nodes would
 * need a lock in the database instead. (Small enough that a dependency would cost more than it
 * saves.)
 */
export function createKeyedSerial() {
  const tails = new Map<string, Promise<void>>();
  return function serial<T>(key: string, task: () => Promise<T> | T): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task);
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
