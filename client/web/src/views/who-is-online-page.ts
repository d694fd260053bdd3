import type { PresenceDetail, PresenceDetailEntry } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { presenceRow, refreshAgo } from './presence-row.js';

type Show = 'all' | PresenceDetailEntry['kind'];

const FILTERS: Array<{ show: Show; label: string; none: string }> = [
  { show: 'all', label: 'All', none: 'No one is online.' },
  { show: 'member', label: 'Members', none: 'No members are online.' },
  { show: 'guest', label: 'Guests', none: 'No guests are online.' },
  { show: 'bot', label: 'Bots', none: 'No bots are online.' },
];

/** How often "… ago" is redrawn between pushes (a quiet board sends none). */
const AGO_EVERY_MS = 5_000;

/**
 * phpBB's "Who is online" (viewonline.php), for moderators and admins, live: every member (hidden
 * ones marked), guest and bot online, where each is reading, since when and how long ago they
 * were last active, most recently active first. It follows the store's `presence:detail`, which
 * the server pushes to moderators only; members are told it is for moderators, guests to log in.
 */
export function whoIsOnlinePage(ctx: WebContext, main: HTMLElement): Page {
  const title = 'Who is online';
  ctx.setPlace(title, [{ label: 'Board index', href: paths.board() }, { label: 'Moderation log', href: paths.modlog() }, { label: title }]);
  const heading = h('h1', { class: 'page-title' }, title);
  if (!ctx.session) {
    replaceChildren(main, heading, h('p', { class: 'panel' }, h('a', { href: paths.login(paths.whoIsOnline()) }, 'Log in'), ' to see who is online.'));
    return { dispose() {} };
  }
  const role = ctx.session.user.role;
  if (role !== 'moderator' && role !== 'admin') {
    replaceChildren(main, heading, h('p', { class: 'panel moderators-only', role: 'alert' }, 'Moderators only: this page is for moderators and administrators.'));
    return { dispose() {} };
  }

  const store = ctx.presenceDetail;
  let show: Show = 'all';
  const counts = h('p', { class: 'presence-counts' });
  const rows = h('tbody');
  const buttons = FILTERS.map(({ show: which, label }) =>
    h('button', { type: 'button', class: 'button small presence-filter', 'data-show': which, 'aria-pressed': String(which === show), onclick: () => choose(which) }, label),
  );
  const table = h(
    'table',
    { class: 'list who-is-online' },
    h('thead', null, h('tr', null, ...['Username', 'Where', 'Online since', 'Last active'].map((c) => h('th', { scope: 'col' }, c)))),
    rows,
  );
  const waiting = h('p', { class: 'loading', role: 'status' }, 'Waiting for the live list from the server…');
  const bar = h('div', { class: 'action-bar top' }, h('div', { class: 'presence-filters', role: 'group', 'aria-label': 'Show' }, buttons), modLinks());
  replaceChildren(main, heading, counts, bar, waiting, table);

  function choose(which: Show): void {
    show = which;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.show === which));
    render();
  }

  function render(): void {
    const detail = store.detail;
    waiting.hidden = !!detail;
    table.hidden = !detail;
    counts.hidden = !detail;
    if (!detail) return;
    showCounts(detail);
    const now = Date.now();
    const listed = detail.entries.filter((e) => show === 'all' || e.kind === show);
    const none = FILTERS.find((f) => f.show === show)!.none;
    replaceChildren(rows, listed.length ? listed.map((e) => presenceRow(e, now)) : h('tr', { class: 'no-presence' }, h('td', { colspan: 4 }, none)));
  }

  /** "3 members (1 hidden), 2 guests, 1 bot", each number also in a data attribute. */
  function showCounts({ entries }: PresenceDetail): void {
    const members = entries.filter((e) => e.kind === 'member');
    const hidden = members.filter((e) => e.hidden).length;
    const guests = entries.filter((e) => e.kind === 'guest').length;
    const bots = entries.filter((e) => e.kind === 'bot').length;
    Object.assign(counts.dataset, { members: String(members.length), hidden: String(hidden), guests: String(guests), bots: String(bots) });
    counts.textContent = `${plural(members.length, 'member')} (${hidden} hidden), ${plural(guests, 'guest')}, ${plural(bots, 'bot')}`;
  }

  render();
  const stop = store.subscribe(render);
  const ticker = setInterval(() => refreshAgo(rows), AGO_EVERY_MS);
  return {
    dispose() {
      stop();
      clearInterval(ticker);
    },
  };
}

/** The other moderator pages. */
function modLinks(): HTMLElement {
  return h(
    'p',
    { class: 'mod-links' },
    h('a', { href: paths.modlog(), class: 'button small modlog-link' }, 'Moderation log'),
    ' ',
    h('a', { href: paths.reports(), class: 'button small reports-page-link' }, 'Reported posts'),
  );
}
