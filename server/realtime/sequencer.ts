/**
 * Per-topic emit ordering on one node. Writers on this node may finish out of seq order;
 * an event is held until every seq before it has been emitted or skipped. A seq claimed on
 * this node is waited for until its writer commits or abandons it; a seq this node knows
 * nothing of (another node's, or a writer that died) is waited for at most `holdMs`, after
 * which the held events go out in order anyway and subscribers repair the hole by replay.
 */
export function createSequencer<E>(emit: (topicId: string, seq: number, item: E | null) => void, holdMs = 200, localMaxMs = 30_000) {
  const last = new Map<string, number>();
  const held = new Map<string, Map<number, E | null>>();
  const claimed = new Map<string, Map<number, number>>();
  const timers = new Map<string, NodeJS.Timeout>();

  function drain(topicId: string, force: boolean) {
    const waiting = held.get(topicId);
    if (!waiting) return;
    const local = claimed.get(topicId);
    let prev = last.get(topicId) ?? 0;
    const order = [...waiting.keys()].sort((a, b) => a - b);
    for (const seq of order) {
      if (seq !== prev + 1) {
        if (!force) break;
        // Forced past a hole: only if no seq in the hole is still being written here.
        let localInHole = false;
        const stale = Date.now() - localMaxMs; // a backstop: a local writer this slow is treated as gone
        for (let s = prev + 1; s < seq && !localInHole; s++) localInHole = (local?.get(s) ?? 0) > stale;
        if (localInHole) break;
      }
      const item = waiting.get(seq) as E | null;
      waiting.delete(seq);
      emit(topicId, seq, item);
      prev = Math.max(prev, seq);
    }
    last.set(topicId, prev);
    clearTimeout(timers.get(topicId));
    timers.delete(topicId);
    if (waiting.size === 0) {
      held.delete(topicId);
      return;
    }
    timers.set(topicId, setTimeout(() => {
      timers.delete(topicId);
      drain(topicId, true);
    }, holdMs).unref());
  }

  /** A writer on this node claimed `seq`: wait for it however long it takes. */
  function claim(topicId: string, seq: number) {
    const map = claimed.get(topicId) ?? new Map<number, number>();
    map.set(seq, Date.now());
    claimed.set(topicId, map);
  }

  /** Hand over the event for `seq` (null: the seq was abandoned, emit nothing for it). */
  function push(topicId: string, seq: number, item: E | null) {
    const local = claimed.get(topicId);
    if (local) {
      local.delete(seq);
      if (local.size === 0) claimed.delete(topicId);
    }
    const prev = last.get(topicId);
    if (prev === undefined || seq <= prev + 1) {
      if (prev === undefined || seq === prev + 1) last.set(topicId, seq);
      emit(topicId, seq, item);
      drain(topicId, false);
      return;
    }
    const waiting = held.get(topicId) ?? new Map<number, E | null>();
    waiting.set(seq, item);
    held.set(topicId, waiting);
    drain(topicId, false);
  }

  /**
   * True iff every seq in (from, to] will still be emitted by this node: claimed here and being
   * written (not past the `localMaxMs` backstop), or pushed and held for order. A reader that
   * joined the topic's room before asking gets those live.
   */
  function inFlight(topicId: string, from: number, to: number): boolean {
    if (to <= from) return true;
    const local = claimed.get(topicId);
    const waiting = held.get(topicId);
    if (to - from > (local?.size ?? 0) + (waiting?.size ?? 0)) return false;
    const stale = Date.now() - localMaxMs;
    for (let s = from + 1; s <= to; s++) {
      if ((local?.get(s) ?? 0) > stale) continue;
      if ((waiting?.get(s) ?? null) !== null) continue; // held with an event (null: nothing will be emitted)
      return false;
    }
    return true;
  }

  function close() {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    held.clear();
    claimed.clear();
  }

  return { claim, push, inFlight, close };
}
