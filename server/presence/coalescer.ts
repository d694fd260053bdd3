/**
 * Throttle per key with a leading and a trailing edge: the first mark runs at once, marks
 * during the next `intervalMs` collapse into one trailing run, and every run reads the
 * latest state itself. Runs of one key start at least `intervalMs` apart (counted from the
 * end of the previous run), so a window of D ms holds at most floor(D / intervalMs) + 1 runs.
 */
export function createCoalescer<K>({ intervalMs, run, onError }: {
  intervalMs: number;
  /** `forced`: some mark asked for a run even if nothing visible changed. */
  run: (key: K, forced: boolean) => Promise<void> | void;
  onError: (err: unknown, key: K) => void;
}) {
  interface State {
    pending: boolean;
    forced: boolean;
    timer?: NodeJS.Timeout;
  }
  const states = new Map<K, State>();
  let closed = false;

  async function fire(key: K, st: State) {
    const forced = st.forced;
    st.pending = false;
    st.forced = false;
    try {
      await run(key, forced);
    } catch (err) {
      onError(err, key);
    }
    if (closed) return;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (st.pending && !closed) void fire(key, st);
      else states.delete(key);
    }, intervalMs);
    st.timer.unref?.();
  }

  return {
    mark(key: K, forced = false) {
      if (closed) return;
      const st = states.get(key);
      if (st) {
        st.pending = true;
        st.forced ||= forced;
        return;
      }
      const fresh: State = { pending: false, forced };
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
