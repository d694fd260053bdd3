import type { PostReport, ReportsPage, ReportStatus } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import type { ReportChange } from '../live/report-store.js';
import { onReconnect } from '../live/on-reconnect.js';
import { heldChanges } from '../live/held-changes.js';
import { byData, h, replaceChildren } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading, userLink } from './common.js';
import { pagination } from './pagination.js';
import { onSubmit } from './submit.js';

/**
 * phpBB's MCP "Reported posts", for moderators: the open reports (or the closed ones), newest
 * first, each with the post it is about (linked, wherever it is now), whose post it is, the start
 * of its text, who reported it, why and when. Open ones close with an optional note for the log;
 * closed ones say who closed them, when, and the note. Live: a new report goes on top of the open
 * list, and one closed here, in another tab or by another moderator leaves it.
 */
export function reportsPage(ctx: WebContext, main: HTMLElement, status: ReportStatus, page: number): Page {
  let alive = true;
  const title = 'Reported posts';
  ctx.setPlace(title, [{ label: 'Board index', href: paths.board() }, { label: 'Moderation log', href: paths.modlog() }, { label: title }]);
  if (!ctx.session) {
    replaceChildren(main, h('h1', { class: 'page-title' }, title), h('p', { class: 'panel' }, h('a', { href: paths.login(paths.reports(status, page)) }, 'Log in'), ' to see reported posts.'));
    return { dispose() {} };
  }
  replaceChildren(main, loading());
  const store = ctx.reports;
  const list = h('ol', { class: 'reports', 'data-status': status });
  const empty = h('p', { class: 'panel no-reports', hidden: true }, status === 'open' ? 'There are no open reports.' : 'No report has been closed yet.');
  const openCount = h('span', { class: 'badge open-count', 'data-count': '0' }, '0');
  const tab = (which: ReportStatus, ...label: Array<string | HTMLElement>) =>
    h('li', null, h('a', { href: paths.reports(which), class: `tab ${which}`, 'aria-current': which === status ? 'page' : false }, ...label));
  const tabs = h('nav', { class: 'report-tabs', 'aria-label': 'Open or closed reports' }, h('ul', null, tab('open', 'Open ', openCount), tab('closed', 'Closed')));
  const topBar = h('div', { class: 'action-bar top' });
  const bottomBar = h('div', { class: 'action-bar bottom' });
  /** The page shown, once the list is there; until then, pushes wait. */
  let shown: number | null = null;
  const changes = heldChanges<ReportChange>((l) => store.subscribe(l), apply);
  // Pushes made while the socket was away are lost: fetch the page again once it is back.
  const stopReconnect = onReconnect(ctx.client, () => void load());

  async function load(): Promise<void> {
    try {
      const data = await store.page(status, page);
      if (alive) render(data);
    } catch (err) {
      if (alive && shown === null) replaceChildren(main, errorPanel(err));
    }
  }

  /** The list and its bars; the heading and tabs around them are drawn once. */
  function render(data: ReportsPage): void {
    const pages = () => pagination(data.page, data.pageCount, (p) => paths.reports(status, p), 'Report pages');
    replaceChildren(list, data.reports.map(item));
    replaceChildren(
      topBar,
      h('a', { href: paths.modlog(), class: 'button small modlog-link' }, 'Moderation log'),
      ' ',
      h('a', { href: paths.whoIsOnline(), class: 'button small who-is-online-link' }, 'Who is online'),
      pages(),
    );
    replaceChildren(bottomBar, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages());
    if (shown === null) replaceChildren(main, h('h1', { class: 'page-title' }, title), tabs, topBar, list, empty, bottomBar);
    shown = data.page;
    showState();
    changes.shown();
  }

  /** The open count on its tab, and the empty note. */
  function showState(): void {
    const open = store.count ?? 0;
    openCount.textContent = String(open);
    openCount.dataset.count = String(open);
    openCount.title = plural(open, 'open report');
    empty.hidden = list.children.length > 0;
  }

  function apply(change: ReportChange): void {
    if (change.type === 'new' && status === 'open') put(change.report);
    else if (change.type === 'closed') {
      if (status === 'open') for (const el of byData(list, 'report-id', change.report.id)) el.remove();
      else put(change.report);
    }
    showState();
  }

  /** A report for this list: redrawn where it is (a new reason, say), or put in its place on page 1 (newest first, as the server lists them). */
  function put(report: PostReport): void {
    const there = byData(list, 'report-id', report.id);
    if (there.length) {
      for (const el of there) el.replaceWith(item(report));
      return;
    }
    if (shown !== 1) return;
    const at = Date.parse(report.createdAt);
    const after = [...list.children].find((el) => Date.parse((el as HTMLElement).dataset.createdAt ?? '') < at);
    if (after) after.before(item(report));
    else if (list.children.length < LIMITS.reportsPerPage) list.append(item(report));
    while (list.children.length > LIMITS.reportsPerPage) list.lastElementChild?.remove();
  }

  /** One report: the post it is about, who reported it and why, and Close (or how it was closed). */
  function item(r: PostReport): HTMLElement {
    return h(
      'li',
      { class: 'report panel', 'data-report-id': r.id, 'data-status': r.status, 'data-created-at': r.createdAt },
      h(
        'h3',
        { class: 'report-title' },
        h('a', { href: paths.post(r.post.topicId, r.post.id), class: 'report-post' }, r.topicTitle),
        ' ',
        h('span', { class: 'post-number' }, `#${r.post.number}`),
      ),
      h('p', { class: 'meta report-post-author' }, 'Post by ', userLink(r.post.author)),
      h('blockquote', { class: 'report-snippet' }, r.post.snippet),
      h('p', { class: 'report-by' }, 'Reported by ', userLink(r.reporter, { class: 'reporter' }), ' on ', h('time', { datetime: r.createdAt }, formatDateTime(r.createdAt))),
      h('p', { class: 'report-reason' }, h('strong', null, 'Reason: '), h('span', { class: 'reason-text' }, r.reason)),
      r.status === 'open' ? closeForm(r) : closedNote(r),
    );
  }

  /** Close, with an optional note for the moderation log; the list changes with the `report:closed` that follows. */
  function closeForm(r: PostReport): HTMLElement {
    const id = `report-note-${r.id}`;
    const note = h('input', { id, name: 'note', class: 'report-note-input', maxlength: LIMITS.reasonMax, placeholder: 'Shown in the moderation log' });
    const button = h('button', { type: 'submit', class: 'button small primary' }, 'Close report');
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = h(
      'form',
      { class: 'report-close', 'aria-label': `Close the report on post #${r.post.number}` },
      h('label', { for: id }, 'Note (optional)'),
      h('div', { class: 'report-close-row' }, note, button),
      error,
    );
    onSubmit(form, { button, error, fallback: 'The report was not closed' }, () => store.closeReport(r.id, note.value.trim() || undefined).then(() => undefined));
    return form;
  }

  function closedNote(r: PostReport): HTMLElement[] {
    return [
      h(
        'p',
        { class: 'report-closed' },
        'Closed',
        r.closedBy ? [' by ', userLink(r.closedBy, { class: 'closer' })] : null,
        r.closedAt ? [' on ', h('time', { datetime: r.closedAt }, formatDateTime(r.closedAt))] : null,
      ),
      ...(r.note ? [h('p', { class: 'report-note' }, h('strong', null, 'Note: '), h('span', { class: 'note-text' }, r.note))] : []),
    ];
  }

  void load();
  return {
    dispose() {
      alive = false;
      changes.stop();
      stopReconnect();
    },
  };
}
