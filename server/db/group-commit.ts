/** One caller's part of a group: what it asked for, and how to answer it. */
export interface Member<In, Out> {
  input: In;
  resolve(out: Out): void;
  reject(err: unknown): void;
}

/**
 * Group commit by key. For each key one group runs at a time: the first call runs at once, alone
 * (no added wait at low load), and the calls for that key that arrive while it runs are run
 * next, together (at most `maxGroup` at a time). Under load, k writes to one document or table
 * then cost one round trip instead of k, in arrival order.
 *
 * `run` answers each member (resolve or reject); if it throws, every member it left unanswered
 * gets that error.
 */
export function groupCommit<K, In, Out>(run: (key: K, group: Array<Member<In, Out>>) => Promise<void>, maxGroup = 64): (key: K, input: In) => Promise<Out> {
  /** Keys with a group running, and the members waiting for the next one. */
  const waiting = new Map<K, Array<Member<In, Out>>>();

  async function drain(key: K, group: Array<Member<In, Out>>): Promise<void> {
    for (;;) {
      try {
        await run(key, group);
      } catch (err) {
        for (const m of group) m.reject(err); // no effect on members already answered
      }
      const next = waiting.get(key)!;
      if (!next.length) return void waiting.delete(key);
      group = next.splice(0, maxGroup);
    }
  }

  return (key: K, input: In) =>
    new Promise<Out>((resolve, reject) => {
      const member = { input, resolve, reject };
      const queue = waiting.get(key);
      if (queue) return void queue.push(member);
      waiting.set(key, []);
      void drain(key, [member]);
    });
}
