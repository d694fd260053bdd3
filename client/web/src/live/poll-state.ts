// How a shown poll changes with what the page hears of it. Pure (no DOM), so the rules are
// unit-tested: pushes carry everyone's totals and no one's own choices; REST answers carry the
// viewer's own view. Of two views of one poll the higher `rev` has the newer totals.
import type { Poll } from '../../../sdk/index.js';

export interface PushOutcome {
  /** The poll to show now. */
  poll: Poll | null;
  /** Whether it differs from the one shown. */
  changed: boolean;
  /** A poll the page had not shown: ask for the viewer's own view of it (their choices, `may`). */
  fetchOwn: boolean;
}

/**
 * A `poll:updated` push: another poll (or none) replaces the shown one; the same poll only with a
 * higher `rev`, keeping the viewer's own choices. A poll reopened asks for the viewer's own view
 * again: the `may.vote` kept was given while it was closed.
 */
export function applyPushed(shown: Poll | null, pushed: Poll | null): PushOutcome {
  if (!pushed) return { poll: null, changed: shown !== null, fetchOwn: false };
  if (!shown || shown.id !== pushed.id) return { poll: pushed, changed: true, fetchOwn: true };
  if (pushed.rev <= shown.rev) return { poll: shown, changed: false, fetchOwn: false };
  return { poll: { ...pushed, myChoices: shown.myChoices, may: shown.may }, changed: true, fetchOwn: shown.closed && !pushed.closed };
}

/**
 * A REST answer for this viewer (their vote, a fetch of the poll): their choices and `may` come
 * from it; the totals from it too unless a push already showed newer ones.
 */
export function applyOwn(shown: Poll | null, own: Poll): Poll {
  if (!shown || shown.id !== own.id || own.rev >= shown.rev) return own;
  return { ...shown, myChoices: own.myChoices, may: own.may };
}

/** Whether the poll has closed, by the server's word or by this browser's clock. */
export function hasClosed(poll: Poll, now = Date.now()): boolean {
  return poll.closed || (!!poll.closesAt && Date.parse(poll.closesAt) <= now);
}

/** Whether the totals are withheld (results shown once the poll closes, and it has not, by the server's word). */
export function resultsHidden(poll: Poll): boolean {
  return poll.options.some((o) => o.votes === null);
}
