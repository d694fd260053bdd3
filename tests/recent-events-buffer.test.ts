import { describe, expect, it } from 'vitest';
import { createRecentEvents } from '../server/realtime/recent-events.js';
import type { TopicEvent } from '../shared/schemas.js';

const ev = (seq: number, topicId = 't'): TopicEvent => ({ type: 'noop', data: { topicId, forumId: 'f', seq, forumSeq: seq } });
const seqs = (r: { events: TopicEvent[] } | null) => r && r.events.map((e) => e.data.seq);

describe('recent events buffer', () => {
  it('answers from within its contiguous run and nothing outside it', () => {
    const b = createRecentEvents({ perTopic: 100, topics: 10 });
    for (let s = 5; s <= 9; s++) b.record('t', s, ev(s));
    expect(seqs(b.since('t', 4, 100))).toEqual([5, 6, 7, 8, 9]);
    expect(seqs(b.since('t', 7, 100))).toEqual([8, 9]);
    expect(b.since('t', 9, 100)).toEqual({ events: [], last: 9 });
    expect(seqs(b.since('t', 4, 2))).toEqual([5, 6]); // one page
    expect(b.since('t', 3, 100)).toBeNull(); // seq 4 was never seen here
    expect(b.since('t', 10, 100)).toBeNull();
    expect(b.since('other', 0, 100)).toBeNull();
  });

  it('restarts the run at a hole, ignores late arrivals, and treats a null item as a hole', () => {
    const b = createRecentEvents({ perTopic: 100, topics: 10 });
    for (const s of [1, 2, 3]) b.record('t', s, ev(s));
    b.record('t', 5, ev(5)); // 4 was stepped over (another node's seq)
    expect(b.since('t', 3, 100)).toBeNull();
    expect(seqs(b.since('t', 4, 100))).toEqual([5]);
    b.record('t', 4, ev(4)); // late: already stepped over
    expect(b.since('t', 3, 100)).toBeNull();
    expect(seqs(b.since('t', 4, 100))).toEqual([5]);
    b.record('t', 6, null);
    b.record('t', 7, ev(7));
    expect(b.since('t', 5, 100)).toBeNull();
    expect(seqs(b.since('t', 6, 100))).toEqual([7]);
  });

  it('keeps at most perTopic events and at most `topics` topics, least recently written dropped', () => {
    const b = createRecentEvents({ perTopic: 3, topics: 2 });
    for (let s = 1; s <= 5; s++) b.record('a', s, ev(s, 'a'));
    expect(b.since('a', 1, 100)).toBeNull();
    expect(seqs(b.since('a', 2, 100))).toEqual([3, 4, 5]);
    b.record('b', 1, ev(1, 'b'));
    b.record('a', 6, ev(6, 'a')); // a is now the most recently written
    b.record('c', 1, ev(1, 'c')); // evicts b
    expect(b.since('b', 0, 100)).toBeNull();
    expect(seqs(b.since('a', 3, 100))).toEqual([4, 5, 6]);
    expect(seqs(b.since('c', 0, 100))).toEqual([1]);
  });

  it('vouches for settledness only from a seq known settled', () => {
    const b = createRecentEvents({ perTopic: 100, topics: 10 });
    // A topic whose first event this node emitted: nothing comes before seq 1.
    for (const s of [1, 2, 3]) b.record('new', s, ev(s));
    expect(b.settledThrough('new', 0)).toBe(3);
    // A topic first seen here at seq 11: seqs up to 10 may still be in flight elsewhere.
    for (const s of [11, 12]) b.record('old', s, ev(s));
    expect(b.settledThrough('old', 0)).toBeNull();
    expect(b.settledThrough('old', 10)).toBe(12); // the caller knows up to 10 settled
    b.noteSettled('old', 10);
    expect(b.settledThrough('old', 0)).toBe(12);
    b.record('old', 13, ev(13));
    expect(b.settledThrough('old', 0)).toBe(13);
    // A hole (another node's seq 14) breaks the chain until the log says otherwise.
    b.record('old', 15, ev(15));
    expect(b.settledThrough('old', 0)).toBeNull();
    expect(b.settledThrough('old', 13)).toBeNull();
    expect(b.settledThrough('old', 14)).toBe(15);
    b.noteSettled('old', 14);
    expect(b.settledThrough('old', 0)).toBe(15);
    expect(b.settledThrough('unknown', 5)).toBeNull();
  });
});
