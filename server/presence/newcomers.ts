/**
 * Views sent to sockets that just arrived (a connect, a subscribe), to them alone. Building a
 * view walks every socket of its room, so arrivals share builds: the first arrival for a key
 * is served on the next turn of the event loop, and arrivals within `gapMs` of the last build
 * wait for the next one, which serves all of them. A reconnect storm of 1,000 sockets thus
 * costs at most one build per key per `gapMs` (10 a second at 100 ms), not one per socket.
 *
 * `send` is called after the arrival's own change is in the store, and a build reads the
 * store after every arrival it serves was added, so no one gets a view older than their arrival.
 */
export function createNewcomerBatcher<K, T>({ gapMs, run, onError }: {
  gapMs: number;
  run: (key: K, arrivals: T[]) => Promise<void> | void;
  onError: (err: unknown, key: K) => void;
}) {
  interface State {
    arrivals: T[];
    /** Settles when the build serving `arrivals` is done. */
    done?: Promise<void>;
    settle?: () => void;
    timer?: NodeJS.Timeout;
  }
  /** Keys with a build due (next turn) or running, or whose gap after one has not passed. */
  const states = new Map<K, State>();
  let closed = false;

  async function build(key: K, st: State) {
    const { arrivals, settle } = st;
    st.arrivals = [];
    st.done = st.settle = undefined;
    try {
      if (!closed) await run(key, arrivals);
    } catch (err) {
      onError(err, key);
    }
    settle?.();
    if (closed) return;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (st.arrivals.length > 0 && !closed) void build(key, st);
      else states.delete(key);
    }, gapMs);
    st.timer.unref?.();
  }

  return {
    /** Resolves once a view went out to `arrival` (or its build failed, reported). */
    send(key: K, arrival: T): Promise<void> {
      if (closed) return Promise.resolve();
      let st = states.get(key);
      if (!st) {
        const fresh: State = { arrivals: [] };
        states.set(key, fresh);
        setImmediate(() => void build(key, fresh));
        st = fresh;
      }
      st.arrivals.push(arrival);
      if (!st.done) {
        const waiting = st;
        st.done = new Promise<void>((resolve) => (waiting.settle = resolve));
      }
      return st.done;
    },
    close() {
      closed = true;
      for (const st of states.values()) {
        if (st.timer) clearTimeout(st.timer);
        st.settle?.();
      }
      states.clear();
    },
  };
}
