// The browser client's poll rules, without a browser: which pushed poll replaces the shown one
// (and keeps the viewer's own choices), how a REST answer merges with newer pushed totals, and
// the poll form's checks, which mirror the server's.
import { describe, expect, it } from 'vitest';
import { applyOwn, applyPushed, hasClosed, resultsHidden } from '../../client/web/src/live/poll-state.js';
import { checkPoll, type PollDraft } from '../../client/web/src/poll-check.js';
import type { Poll } from '../../shared/schemas.js';

function poll(over: Partial<Poll> = {}): Poll {
  return {
    id: 'p1', topicId: 't1', question: 'Q?', options: [{ text: 'A', votes: 0 }, { text: 'B', votes: 0 }],
    maxChoices: 1, allowVoteChange: false, results: 'always', voterCount: 0, createdAt: '2024-01-01T00:00:00.000Z', closed: false, rev: 0, ...over,
  };
}
const totals = (a: number, b: number) => [{ text: 'A', votes: a }, { text: 'B', votes: b }];

describe('applyPushed', () => {
  const mine = poll({ rev: 1, voterCount: 1, options: totals(1, 0), myChoices: [0], may: { vote: false, close: false } });

  it('takes newer totals of the same poll and keeps the viewer’s own choices', () => {
    const out = applyPushed(mine, poll({ rev: 2, voterCount: 2, options: totals(1, 1) }));
    expect(out).toEqual({ poll: { ...poll({ rev: 2, voterCount: 2, options: totals(1, 1) }), myChoices: [0], may: { vote: false, close: false } }, changed: true, fetchOwn: false });
  });

  it('ignores a push that is not newer', () => {
    expect(applyPushed(mine, poll({ rev: 1 }))).toEqual({ poll: mine, changed: false, fetchOwn: false });
    expect(applyPushed(mine, poll({ rev: 0 })).poll).toBe(mine);
  });

  it('shows another poll as pushed and asks for the viewer’s own view of it', () => {
    const other = poll({ id: 'p2', rev: 0 });
    expect(applyPushed(mine, other)).toEqual({ poll: other, changed: true, fetchOwn: true });
    expect(applyPushed(null, other)).toEqual({ poll: other, changed: true, fetchOwn: true });
  });

  it('removes the poll on null', () => {
    expect(applyPushed(mine, null)).toEqual({ poll: null, changed: true, fetchOwn: false });
    expect(applyPushed(null, null)).toEqual({ poll: null, changed: false, fetchOwn: false });
  });
});

describe('applyOwn', () => {
  it('takes the answer when it is as new as the shown poll, or another poll', () => {
    const own = poll({ rev: 3, voterCount: 1, myChoices: [1], may: { vote: false, close: false } });
    expect(applyOwn(poll({ rev: 3 }), own)).toBe(own);
    expect(applyOwn(null, own)).toBe(own);
    expect(applyOwn(poll({ id: 'p0', rev: 9 }), own)).toBe(own);
  });

  it('keeps newer pushed totals, with the answer’s own choices', () => {
    const shown = poll({ rev: 5, voterCount: 4, options: totals(2, 2) });
    const own = poll({ rev: 3, voterCount: 2, options: totals(1, 1), myChoices: [1], may: { vote: false, close: false } });
    expect(applyOwn(shown, own)).toEqual({ ...shown, myChoices: [1], may: { vote: false, close: false } });
  });
});

describe('reopening and hidden results', () => {
  it('a push that reopens a closed poll asks for the viewer’s own view again (what they may do changed)', () => {
    const shown = poll({ rev: 4, closed: true, myChoices: [], may: { vote: false, close: false } });
    expect(applyPushed(shown, poll({ rev: 5, closed: false })).fetchOwn).toBe(true);
    expect(applyPushed(poll({ rev: 4 }), poll({ rev: 5, closed: true })).fetchOwn).toBe(false);
  });

  it('results are hidden exactly when the server sent no totals', () => {
    expect(resultsHidden(poll({ results: 'closed', options: [{ text: 'A', votes: null }, { text: 'B', votes: null }] }))).toBe(true);
    expect(resultsHidden(poll({ results: 'closed', closed: true, options: totals(1, 2) }))).toBe(false);
    expect(resultsHidden(poll())).toBe(false);
  });
});

describe('hasClosed', () => {
  it('by the server’s word or by the clock', () => {
    const now = Date.parse('2024-06-01T12:00:00.000Z');
    expect(hasClosed(poll({ closed: true }), now)).toBe(true);
    expect(hasClosed(poll({ closesAt: '2024-06-01T11:59:59.000Z' }), now)).toBe(true);
    expect(hasClosed(poll({ closesAt: '2024-06-01T12:00:01.000Z' }), now)).toBe(false);
    expect(hasClosed(poll(), now)).toBe(false);
  });
});

describe('checkPoll', () => {
  const draft = (over: Partial<PollDraft> = {}): PollDraft => ({ question: ' Lunch? ', options: 'Pizza\n\n  Sushi \n', maxChoices: '', closesInDays: '', allowVoteChange: false, results: 'always', ...over });
  const message = (over: Partial<PollDraft>) => {
    const out = checkPoll(draft(over));
    return out.ok ? null : out.message;
  };

  it('trims, drops blank lines, defaults to one choice and never closing', () => {
    expect(checkPoll(draft())).toEqual({ ok: true, poll: { question: 'Lunch?', options: ['Pizza', 'Sushi'], maxChoices: 1, allowVoteChange: false, results: 'always' } });
    expect(checkPoll(draft({ maxChoices: '2', closesInDays: '365', allowVoteChange: true, results: 'closed' }))).toEqual({
      ok: true,
      poll: { question: 'Lunch?', options: ['Pizza', 'Sushi'], maxChoices: 2, allowVoteChange: true, closesInDays: 365, results: 'closed' },
    });
  });

  it('says what is wrong, as the server’s limits have it', () => {
    expect(message({ question: '   ' })).toBe('Give the poll a question.');
    expect(message({ question: 'x'.repeat(256) })).toBe('The question can be at most 255 characters.');
    expect(message({ options: 'Pizza' })).toBe('Give at least 2 options, one per line.');
    expect(message({ options: Array.from({ length: 11 }, (_, i) => `o${i}`).join('\n') })).toBe('Give at most 10 options.');
    expect(message({ options: `Pizza\n${'x'.repeat(101)}` })).toBe('Option 2 is longer than 100 characters.');
    expect(message({ options: 'Pizza\nSushi\nPIZZA' })).toBe('“PIZZA” is listed twice.');
    expect(message({ maxChoices: '0' })).toBe('Options per member: a whole number, at least 1.');
    expect(message({ maxChoices: '1.5' })).toBe('Options per member: a whole number, at least 1.');
    expect(message({ maxChoices: '3' })).toBe('Options per member can be at most 2, the number of options.');
    expect(message({ closesInDays: '0' })).toBe('Closes in: a whole number of days from 1 to 365, or blank to never close.');
    expect(message({ closesInDays: '366' })).toBe('Closes in: a whole number of days from 1 to 365, or blank to never close.');
  });
});
