/**
 * Per-topic emit ordering on one node. Writers on this node may finish out of seq order;
 * an event is held until the one before it has been emitted (or skipped), for at most
 * `holdMs`, after which the held events go out in order anyway (the missing seq belongs
 * to another node or to a writer that died; subscribers repair such holes by replay).
 */
export function createSequencer<E>(emit: (topicId: string, seq: number, item: E | null) => void, holdMs = 200) {
  const last = new Map<string, number>();
  const held = new Map<string, Map<number, E | null>>();
  const timers = new Map<string, NodeJS.Timeout>();

  function drain(topicId: string, force: boolean) {
    const waiting = held.get(topicId);
    if (!waiting) return;
    let prev = last.get(topicId) ?? 0;
    const order = [...waiting.keys()].sort((a, b) => a - b);
    for (const seq of order) {
      if (!force && seq !== prev + 1) break;
      const item = waiting.get(seq) as E | null;
      waiting.delete(seq);
      emit(topicId, seq, item);
      prev = Math.max(prev, seq);
    }
    last.set(topicId, prev);
    if (waiting.size === 0) {
      held.delete(topicId);
      clearTimeout(timers.get(topicId));
      timers.delete(topicId);
    } else if (!timers.has(topicId)) {
      timers.set(topicId, setTimeout(() => {
        timers.delete(topicId);
        drain(topicId, true);
      }, holdMs).unref());
    }
  }

  /** Hand over the event for `seq` (null: the seq was abandoned, emit nothing for it). */
  function push(topicId: string, seq: number, item: E | null) {
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

  function close() {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    held.clear();
  }

  return { push, close };
}
