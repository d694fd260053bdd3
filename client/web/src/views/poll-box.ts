import type { Poll } from '../../../sdk/index.js';
import { ForumError } from '../../../sdk/index.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { resultsHidden } from '../live/poll-state.js';
import { showFailure } from './submit.js';

export interface PollBoxOptions {
  /** Send the member's choices (option indexes; [] takes their vote back); resolves once the page shows the answer. */
  vote(choices: number[]): Promise<void>;
  /** Close the poll now (true) or reopen it (false); resolves once the page shows the answer. */
  setClosed(close: boolean): Promise<void>;
  /** A refusal that means the page was out of date (voted elsewhere, closed, locked): read the poll again. */
  stale(): void;
  /** For a guest: where "Log in to vote" goes. */
  loginHref?: string;
  /** Shown at the foot of the box (Remove poll, for its author and moderators). */
  tools?: HTMLElement;
}

/** A poll as this member may use it now. */
export interface PollView {
  poll: Poll;
  /** May vote, or change their vote, now (the server's `may.vote`, and open, and not locked out). */
  canVote: boolean;
  /** May close it now, or reopen it (the server's `may.close`, and not locked out). */
  canClose: boolean;
}

/** Refusals that mean what the page showed was no longer so. */
const STALE = new Set(['CONFLICT', 'LOCKED', 'FORBIDDEN', 'NOT_FOUND']);

interface Row {
  result: HTMLElement;
  votes: HTMLElement;
  percent: HTMLElement;
  fill: HTMLElement;
}

/**
 * phpBB's poll box at the top of a topic: the question; for a member who may vote, a radio
 * button (one choice) or checkboxes (up to `maxChoices`, the rest disabled once that many are
 * ticked) and Vote; the results as bars with votes and the share of voters; "Total voters";
 * the member's own choices marked; Change vote and Take back vote where votes may change. A poll
 * whose results show once it closes has no bars while open, only how many have voted. For the
 * topic's author and moderators, Close poll (open) or Reopen poll (closed). New totals are
 * written into the rows in place, so a live push never resets what the member is ticking or
 * where their focus is. Refusals are shown in the box.
 */
export function pollBox(opts: PollBoxOptions): { el: HTMLElement; show(view: PollView | null): void } {
  const question = h('h2', { id: 'poll-question', class: 'poll-question' });
  const notes = h('p', { id: 'poll-notes', class: 'poll-notes' });
  const body = h('div', { class: 'poll-body' });
  const total = h('p', { class: 'poll-total' });
  const change = h('button', { type: 'button', class: 'button small poll-change', onclick: () => startChange() }, 'Change vote');
  const takeBack = h('button', { type: 'button', class: 'button small poll-take-back', onclick: () => void send([], takeBack) }, 'Take back vote');
  const actions = h('div', { class: 'poll-actions' }, change, ' ', takeBack);
  const close = h('button', { type: 'button', class: 'button small poll-close', onclick: () => void setClosed(true) }, 'Close poll');
  const reopen = h('button', { type: 'button', class: 'button small poll-reopen', onclick: () => void setClosed(false) }, 'Reopen poll');
  const manage = h('div', { class: 'poll-manage' }, close, reopen);
  const error = h('p', { class: 'form-error poll-error', role: 'alert', hidden: true });
  const el = h('section', { class: 'panel poll', 'aria-labelledby': question.id, hidden: true }, question, notes, body, total, actions, manage, error, opts.tools ?? null);

  let current: PollView | null = null;
  /** The member pressed Change vote: the form shows with their choices ticked. */
  let changing = false;
  /** What `body` was built for; while it stands, only the totals are written. */
  let builtFor = '';
  let rows: Row[] = [];
  let busy = false;

  function show(view: PollView | null): void {
    if (current?.poll.id !== view?.poll.id) {
      changing = false;
      error.hidden = true;
    }
    current = view;
    el.hidden = !view;
    if (view) render(view);
    else builtFor = '';
  }

  function render({ poll, canVote, canClose }: PollView): void {
    const mine = poll.myChoices ?? [];
    if (!canVote || !poll.allowVoteChange) changing = false;
    const voting = canVote && (mine.length === 0 || changing);
    const key = [poll.id, canVote, voting, poll.closed, mine.join(',')].join('|');
    if (key !== builtFor) {
      builtFor = key;
      el.dataset.pollId = poll.id;
      question.textContent = poll.question;
      replaceChildren(notes, notesFor(poll, voting));
      notes.hidden = !notes.hasChildNodes();
      build(poll, voting, mine);
      actions.hidden = voting || !canVote || !poll.allowVoteChange || mine.length === 0;
    }
    writeTotals(poll);
    manage.hidden = !canClose;
    close.hidden = poll.closed;
    reopen.hidden = !poll.closed;
  }

  function notesFor(poll: Poll, voting: boolean): Array<HTMLElement | string> {
    const parts: HTMLElement[] = [];
    if (voting && poll.maxChoices > 1) parts.push(h('span', { class: 'poll-max' }, `Choose up to ${poll.maxChoices} options.`));
    const at = poll.closesAt ? h('time', { datetime: poll.closesAt }, formatDateTime(poll.closesAt)) : null;
    if (poll.closed) parts.push(h('span', { class: 'poll-closes' }, h('strong', { class: 'poll-closed' }, 'Closed'), at ? [' on ', at] : null));
    else if (at) parts.push(h('span', { class: 'poll-closes' }, 'Closes ', at));
    if (!poll.closed && poll.allowVoteChange) parts.push(h('span', null, 'Votes may be changed.'));
    if (!poll.closed && opts.loginHref) parts.push(h('span', null, h('a', { href: opts.loginHref }, 'Log in'), ' to vote.'));
    return parts.flatMap((part, i) => (i ? [' · ', part] : [part]));
  }

  function build(poll: Poll, voting: boolean, mine: number[]): void {
    const multiple = poll.maxChoices > 1;
    const inputs: HTMLInputElement[] = [];
    rows = [];
    const items = poll.options.map((option, i) => {
      const text = h('span', { class: 'poll-text' }, option.text);
      let choice: HTMLElement;
      if (voting) {
        const input = h('input', { type: multiple ? 'checkbox' : 'radio', name: 'poll-choice', value: i, class: 'checkbox', checked: changing && mine.includes(i) });
        inputs.push(input);
        choice = h('label', { class: 'poll-choice' }, input, text);
      } else {
        choice = h('span', { class: 'poll-choice' }, text, mine.includes(i) ? h('span', { class: 'poll-mine' }, '✓ Your choice') : null);
      }
      const fill = h('span', { class: 'poll-fill' });
      const votes = h('span', { class: 'poll-votes' });
      const percent = h('span', { class: 'poll-percent' });
      const result = h('span', { class: 'poll-result' }, h('span', { class: 'poll-bar', 'aria-hidden': 'true' }, fill), votes, percent);
      rows.push({ result, votes, percent, fill });
      return h('li', { class: mine.includes(i) ? 'poll-option mine' : 'poll-option', 'data-option': i }, choice, result);
    });
    const list = h('ol', { class: 'poll-options' }, items);
    if (!voting) return replaceChildren(body, list);

    /** No more than maxChoices: once that many are ticked, the others are disabled. */
    const limit = () => {
      if (!multiple) return;
      const ticked = inputs.filter((c) => c.checked).length;
      for (const c of inputs) c.disabled = !c.checked && ticked >= poll.maxChoices;
    };
    list.addEventListener('change', limit);
    limit();
    const voteButton = h('button', { type: 'submit', class: 'button primary poll-vote' }, 'Vote');
    const cancel = changing ? h('button', { type: 'button', class: 'button', onclick: () => stopChange() }, 'Cancel') : null;
    const form = h(
      'form',
      { class: 'poll-form' },
      h('fieldset', { class: 'poll-fieldset', 'aria-labelledby': question.id, 'aria-describedby': notes.id }, list),
      h('div', { class: 'form-actions' }, cancel, cancel ? ' ' : null, voteButton),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const choices = inputs.filter((c) => c.checked).map((c) => Number(c.value));
      if (!choices.length) return void showFailure(error, new Error('Choose an option first.'), '');
      void send(choices, voteButton);
    });
    replaceChildren(body, form);
  }

  function writeTotals(poll: Poll): void {
    poll.options.forEach(({ votes }, i) => {
      const row = rows[i];
      if (!row) return;
      row.result.hidden = votes === null;
      // Each voter counts once: with several choices each, the shares add up to more than 100%.
      const share = votes !== null && poll.voterCount ? Math.round((votes * 100) / poll.voterCount) : 0;
      row.votes.textContent = votes === null ? '' : plural(votes, 'vote');
      row.percent.textContent = votes === null ? '' : `${share}%`;
      row.fill.style.width = `${share}%`;
    });
    total.dataset.voters = String(poll.voterCount);
    const hidden = resultsHidden(poll);
    total.classList.toggle('hidden-results', hidden);
    if (!hidden) return replaceChildren(total, 'Total voters: ', h('strong', null, String(poll.voterCount)));
    // Closed by this browser's clock: the page is asking for the totals (see live-poll.ts).
    const why = poll.closed ? 'The results are on their way' : 'Results are shown when the poll closes';
    replaceChildren(total, `${why} · `, h('strong', null, plural(poll.voterCount, 'voter')));
  }

  function startChange(): void {
    changing = true;
    error.hidden = true;
    if (current) render(current);
    body.querySelector<HTMLInputElement>('input:checked, input')?.focus();
  }

  function stopChange(): void {
    changing = false;
    if (current) render(current);
    change.focus();
  }

  function send(choices: number[], button: HTMLButtonElement): Promise<void> {
    return run(button, 'Your vote was not counted', async () => {
      await opts.vote(choices);
      changing = false;
      if (current) render(current);
    });
  }

  function setClosed(closing: boolean): Promise<void> {
    const button = closing ? close : reopen;
    const focused = document.activeElement === button;
    return run(button, closing ? 'The poll was not closed' : 'The poll was not reopened', async () => {
      await opts.setClosed(closing);
      // The button pressed gives way to the other one: keep the keyboard's place.
      if (focused && button.hidden) (closing ? reopen : close).focus();
    });
  }

  /** One request from the box at a time; a refusal shows in the box, and one meaning the page was out of date reads the poll again. */
  async function run(button: HTMLButtonElement, fallback: string, request: () => Promise<void>): Promise<void> {
    if (busy) return;
    busy = true;
    button.disabled = true;
    error.hidden = true;
    try {
      await request();
    } catch (err) {
      showFailure(error, err, fallback);
      if (err instanceof ForumError && STALE.has(err.code)) opts.stale();
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  return { el, show };
}
