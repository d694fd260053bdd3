/**
 * Throttle per key with a leading and a trailing edge: the first mark runs at once, marks
 * during the next interval collapse into one trailing run, and every run reads the latest
 * state itself. Runs of one key start at least one interval apart (counted from the end of
 * the previous run), so a window of D ms holds at most floor(D / interval) + 1 runs.
 * `intervalMs` may depend on the key, read after each run (e.g. longer for a bigger room).
 */
export function createCoalescer<K>({ intervalMs, run, onError }: {
  intervalMs: number | ((key: K) => number);
  run: (key: K) => Promise<void> | void;
  onError: (err: unknown, key: K) => void;
}) {
  interface State {
    pending: boolean;
    timer?: NodeJS.Timeout;
  }
  const states = new Map<K, State>();
  let closed = false;

  async function fire(key: K, st: State) {
    st.pending = false;
    try {
      await run(key);
    } catch (err) {
      onError(err, key);
    }
    if (closed) return;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (st.pending && !closed) void fire(key, st);
      else states.delete(key);
    }, typeof intervalMs === 'function' ? intervalMs(key) : intervalMs);
    st.timer.unref?.();
  }

  return {
    mark(key: K) {
      if (closed) return;
      const st = states.get(key);
      if (st) {
        st.pending = true;
        return;
      }
      const fresh: State = { pending: false };
      states.set(key, fresh);
      void fire(key, fresh);
    },
    close() {
      closed = true;
      for (const st of states.values()) if (st.timer) clearTimeout(st.timer);
      states.clear();
    },
  };
}
export type Coalescer<K> = ReturnType<typeof createCoalescer<K>>;
