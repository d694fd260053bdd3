import { describe, expect, it } from 'vitest';
import { createSequencer } from '../server/realtime/sequencer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function harness(holdMs = 50) {
  const out: Array<[number, string | null]> = [];
  const seq = createSequencer<string>((_t, s, item) => out.push([s, item]), holdMs);
  return { out, seq };
}

describe('sequencer', () => {
  it('emits in seq order when local writers finish out of order, however slow', async () => {
    const { out, seq } = harness(20);
    seq.push('t', 1, 'a');
    seq.claim('t', 2);
    seq.claim('t', 3);
    seq.push('t', 3, 'c');
    await sleep(100); // far past holdMs: seq 2 is still being written here, so 3 waits
    expect(out).toEqual([[1, 'a']]);
    seq.push('t', 2, 'b');
    expect(out).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    seq.close();
  });

  it('skips an abandoned seq without emitting it', () => {
    const { out, seq } = harness();
    seq.push('t', 1, 'a');
    seq.claim('t', 2);
    seq.claim('t', 3);
    seq.push('t', 3, 'c');
    seq.push('t', 2, null);
    expect(out).toEqual([[1, 'a'], [2, null], [3, 'c']]);
    seq.close();
  });

  it('waits at most holdMs for a seq it knows nothing of (another node or a dead writer)', async () => {
    const { out, seq } = harness(30);
    seq.push('t', 1, 'a');
    seq.push('t', 3, 'c');
    expect(out).toEqual([[1, 'a']]);
    await sleep(80);
    expect(out).toEqual([[1, 'a'], [3, 'c']]);
    seq.push('t', 2, 'late'); // late arrivals still go out; clients order them by seq
    expect(out.at(-1)).toEqual([2, 'late']);
    seq.close();
  });

  it('keeps topics independent', () => {
    const { out, seq } = harness();
    seq.push('a', 5, 'a5');
    seq.push('b', 1, 'b1');
    seq.claim('a', 6);
    seq.push('b', 2, 'b2');
    expect(out).toEqual([[5, 'a5'], [1, 'b1'], [2, 'b2']]);
    seq.close();
  });
});

describe('sequencer in-flight query', () => {
  it('is true only while every seq of the range is claimed here or held for order', async () => {
    const { seq } = harness(20);
    seq.push('t', 1, 'a');
    expect(seq.inFlight('t', 1, 1)).toBe(true); // an empty range
    expect(seq.inFlight('t', 1, 2)).toBe(false); // 2: nothing known of it
    seq.claim('t', 2);
    seq.claim('t', 3);
    expect(seq.inFlight('t', 1, 3)).toBe(true);
    expect(seq.inFlight('t', 1, 4)).toBe(false);
    expect(seq.inFlight('u', 1, 3)).toBe(false); // topics are independent
    seq.push('t', 3, 'c'); // held behind 2
    expect(seq.inFlight('t', 1, 3)).toBe(true);
    seq.push('t', 2, 'b'); // both emitted: no longer in flight
    expect(seq.inFlight('t', 1, 2)).toBe(false);
    expect(seq.inFlight('t', 2, 3)).toBe(false);
    seq.close();
  });

  it('does not count a claim past the local backstop', async () => {
    const seq = createSequencer<string>(() => {}, 20, 30);
    seq.claim('t', 1);
    expect(seq.inFlight('t', 0, 1)).toBe(true);
    await sleep(60);
    expect(seq.inFlight('t', 0, 1)).toBe(false);
    seq.close();
  });
});
