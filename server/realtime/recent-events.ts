import type { TopicEvent } from '../../shared/schemas.js';

/** One topic's contiguous run (from, last]: `events[i]` has seq `from + 1 + i`. */
interface Run {
  from: number;
  last: number;
  events: TopicEvent[];
  /** Every seq <= settled is known to be committed (0: nothing known beyond "no event has seq 0"). */
  settled: number;
}

/**
 * The most recent topic events this node emitted, kept so that a subscriber catching up from a
 * recent seq (a reconnect) is answered from memory instead of a scan of the event log.
 *
 * It is fed by the sequencer's emit callback, which hands over each topic's events in seq order,
 * noops included, and only after the event log committed them. Per topic it keeps one run
 * (from, last] holding the event of every seq in it. A seq other than last + 1 means the sequencer
 * stepped over a hole (another node's seq, a dead writer, or the first event this node sees for
 * the topic): the run restarts there. A seq at or below `last` is a late arrival after such a step
 * and is ignored. A null item (an abandoned seq with nothing to emit) empties the run.
 *
 * Bounded: at most `perTopic` events per topic, at most `topics` topics (least recently written
 * go first).
 */
export function createRecentEvents({ perTopic, topics }: { perTopic: number; topics: number }) {
  const runs = new Map<string, Run>();

  function record(topicId: string, seq: number, event: TopicEvent | null): void {
    let run = runs.get(topicId);
    if (run) runs.delete(topicId); // re-inserted below: Map order is the LRU order
    else {
      run = { from: seq - 1, last: seq - 1, events: [], settled: 0 };
      if (runs.size >= topics) runs.delete(runs.keys().next().value as string);
    }
    runs.set(topicId, run);
    if (seq <= run.last) return;
    if (seq !== run.last + 1 || event === null) {
      run.from = run.last = event === null ? seq : seq - 1;
      run.events = [];
      if (event === null) return;
    }
    run.events.push(event);
    run.last = seq;
    if (run.events.length > perTopic) {
      run.events.shift();
      run.from++;
    }
    if (run.from <= run.settled) run.settled = run.last;
  }

  /**
   * The first `limit` events after `sinceSeq`, and the end of the run they belong to; null unless
   * the run covers `sinceSeq` (from <= sinceSeq <= last).
   */
  function since(topicId: string, sinceSeq: number, limit: number): { events: TopicEvent[]; last: number } | null {
    const run = runs.get(topicId);
    if (!run || sinceSeq < run.from || sinceSeq > run.last) return null;
    const start = sinceSeq - run.from;
    return { events: run.events.slice(start, start + limit), last: run.last };
  }

  /**
   * The highest seq known to have every seq at or below it committed, given that every seq at or
   * below `base` is; null when that says nothing about the run (its start is not known settled).
   */
  function settledThrough(topicId: string, base: number): number | null {
    const run = runs.get(topicId);
    if (!run) return null;
    const known = Math.max(base, run.settled);
    return run.from <= known ? Math.max(known, run.last) : null;
  }

  /** The event log found every seq <= `seq` committed. */
  function noteSettled(topicId: string, seq: number): void {
    const run = runs.get(topicId);
    if (!run) return;
    run.settled = Math.max(run.settled, seq);
    if (run.from <= run.settled) run.settled = Math.max(run.settled, run.last);
  }

  return { record, since, settledThrough, noteSettled, clear: () => runs.clear() };
}
export type RecentEventsBuffer = ReturnType<typeof createRecentEvents>;
