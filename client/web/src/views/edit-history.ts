import type { PostRevisions } from '../../../sdk/index.js';
import type { ShownPost } from '../live/topic-model.js';
import { RevisionHistory, type Revision } from '../live/revision-history.js';
import { h, replaceChildren, trustedHtml } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { userLink } from './common.js';
import { showFailure } from './submit.js';

/** How often, and after how long, to ask again for versions the server has not kept yet. */
const RETRY_DELAYS_MS = [250, 500, 1000];

export interface EditHistory {
  /** "edited N times in total" in the post's edited note: opens and closes the history. */
  toggle: HTMLButtonElement;
  /** The history, under the note (hidden while closed). */
  panel: HTMLElement;
}

interface HistoryState extends EditHistory {
  isOpen(): boolean;
  /** The post was drawn again: say its new count, and bring an open history up to date. */
  update(post: ShownPost): void;
}
type HistoryPanel = HTMLElement & { history?: HistoryState };

/**
 * Discourse's revisions, opened from phpBB's "edited N times in total": a panel under the post
 * with every version, oldest first (the last is the one shown above it), each with who wrote it
 * and when, its subject when it changed, and its text. It is a disclosure (the count is a button
 * with aria-expanded); Close hides it and gives focus back to the count. Drawn again after an
 * edit (see `carryEditHistory`), an open history fetches again and says so while it does.
 */
export function editHistory(post: ShownPost, fetchRevisions: (post: ShownPost) => Promise<PostRevisions>): EditHistory {
  const panelId = `p${post.id}-history`;
  const titleId = `${panelId}-title`;
  const history = new RevisionHistory();
  let current = post;
  let open = false;
  /** Bumped by every load and every close: an answer for an older one is dropped. */
  let generation = 0;

  const toggle = h('button', {
    type: 'button',
    class: 'link-button history-toggle',
    'aria-expanded': 'false',
    'aria-controls': panelId,
    title: 'Show the edit history',
    onclick: () => (open ? close(false) : show()),
  });
  const status = h('p', { class: 'history-status muted', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  // The button hides while it loads: focus goes back to the count rather than to nowhere.
  const retry = h('button', { type: 'button', class: 'button small history-retry', hidden: true, onclick: () => (toggle.focus(), void load('open')) }, 'Try again');
  const list = h('ol', { class: 'revisions' });
  const gapNote = h('p', { class: 'notice history-gap', hidden: true });
  const panel: HistoryPanel = h(
    'section',
    { id: panelId, class: 'panel edit-history', 'aria-labelledby': titleId, hidden: true },
    h('h4', { id: titleId, class: 'history-title' }, `Edit history of post #${post.number}`),
    status,
    error,
    retry,
    list,
    gapNote,
    h('button', { type: 'button', class: 'button small history-close', 'aria-label': 'Close edit history', onclick: () => close(true) }, 'Close'),
  );

  function label(p: ShownPost): void {
    toggle.textContent = `edited ${plural(p.editCount ?? 0, 'time')} in total`;
  }

  function show(): void {
    open = true;
    toggle.setAttribute('aria-expanded', 'true');
    toggle.title = 'Hide the edit history';
    panel.hidden = false;
    void load('open');
  }

  function close(focusToggle: boolean): void {
    open = false;
    generation += 1;
    toggle.setAttribute('aria-expanded', 'false');
    toggle.title = 'Show the edit history';
    panel.hidden = true;
    if (focusToggle) toggle.focus();
  }

  function busy(text: string): void {
    status.textContent = text;
    panel.setAttribute('aria-busy', 'true');
    error.hidden = true;
    retry.hidden = true;
  }

  async function load(why: 'open' | 'edited'): Promise<void> {
    const mine = ++generation;
    const stale = () => mine !== generation;
    // Opened: nothing is shown until it is all here. Edited again: the versions shown stay
    // (they are still true) under a line saying a newer one is on its way.
    if (why === 'open') clear();
    busy(why === 'open' ? 'Loading the edit history…' : 'This post was edited again: loading its new version…');
    for (let attempt = 0; ; attempt++) {
      try {
        history.add((await fetchRevisions(current)).revisions);
      } catch (err) {
        if (stale()) return;
        // What was shown may be out of date by now: only the error stays.
        clear();
        status.textContent = '';
        panel.removeAttribute('aria-busy');
        showFailure(error, err, 'The edit history could not be loaded');
        retry.hidden = false;
        return;
      }
      if (stale()) return;
      const missing = history.missing(current.editCount ?? 0);
      if (missing.length === 0 || attempt >= RETRY_DELAYS_MS.length) return void render(missing);
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      if (stale()) return;
    }
  }

  function clear(): void {
    replaceChildren(list);
    gapNote.hidden = true;
  }

  function render(missing: number[]): void {
    const versions = history.versions;
    replaceChildren(list, versions.map((r, i) => versionItem(r, versions[i - 1], i === versions.length - 1)));
    panel.removeAttribute('aria-busy');
    status.textContent = `${plural(versions.length, 'version')}, oldest first.`;
    const oldest = versions[0]?.version ?? 0;
    gapNote.hidden = missing.length === 0 && oldest === 0;
    gapNote.textContent = missing.length
      ? `Not in this history: ${missing.length === 1 ? 'version' : 'versions'} ${missing.join(', ')}.`
      : `Versions before version ${oldest} were not kept.`;
  }

  label(post);
  panel.history = {
    toggle,
    panel,
    isOpen: () => open,
    update(post) {
      const before = current.editCount;
      current = post;
      label(post);
      if (open && post.editCount !== before) void load('edited');
    },
  };
  return { toggle, panel };
}

/** "Version 2 by mod on …", the subject when it changed from the version before, and the text. */
function versionItem(r: Revision, previous: Revision | undefined, latest: boolean): HTMLElement {
  const body = h('div', { class: 'revision-body' });
  trustedHtml(body, r.bodyHtml);
  return h(
    'li',
    { class: 'revision', 'data-version': r.version },
    h(
      'p',
      { class: 'revision-head' },
      `Version ${r.version} by `,
      h('strong', null, userLink(r.writtenBy)),
      ' on ',
      h('time', { datetime: r.writtenAt }, formatDateTime(r.writtenAt)),
      r.version === 0 ? ' (as first written)' : latest ? ' (current)' : null,
      r.reason ? [': ', h('span', { class: 'edit-reason' }, r.reason)] : null,
    ),
    previous && previous.subject !== r.subject
      ? h('p', { class: 'revision-subject' }, 'Subject changed: ', h('del', null, previous.subject), ' → ', h('ins', null, r.subject))
      : null,
    body,
  );
}

/**
 * A post drawn again (an edit, live) keeps its open history: the panel and its button move to
 * the new drawing (a focused button keeps focus) and fetch the new version. A closed one has
 * nothing to keep.
 */
export function carryEditHistory(from: HTMLElement, to: HTMLElement, post: ShownPost): void {
  const before = from.querySelector<HistoryPanel>('.edit-history')?.history;
  const panel = to.querySelector('.edit-history');
  const toggle = to.querySelector('.history-toggle');
  if (!before?.isOpen() || !panel || !toggle) return;
  panel.replaceWith(before.panel);
  toggle.replaceWith(before.toggle);
  before.update(post);
}
