import type { ConnectionState } from '../../../sdk/index.js';
import type { Crumb, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import type { NotificationStore } from '../live/notification-store.js';
import type { MessageStore } from '../live/message-store.js';
import type { ReportStore } from '../live/report-store.js';
import type { QueueStore } from '../live/queue-store.js';
import { userLink } from './common.js';
import { countLink } from './count-link.js';
import { searchForm } from './search-page.js';

const STATE_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  'catching-up': 'Catching up…',
  disconnected: 'Offline',
  unauthorized: 'Signed out',
};

/** The banner: board name, breadcrumbs, the search box, the live connection state and the login area. */
export function createHeader(navigate: (path: string) => void) {
  const crumbs = h('ol', { class: 'crumbs' });
  const connection = h('p', { id: 'connection', class: 'connection', role: 'status', 'aria-live': 'polite', 'data-state': 'connecting' }, STATE_LABEL.connecting);
  const account = h('div', { class: 'account' });
  const notifications = countLink({ label: 'Notifications', href: paths.notifications(), linkClass: 'notifications-link', badgeClass: 'notification-count', noun: 'unread notification', none: 'No unread notifications', activeClass: 'has-unread' });
  const messages = countLink({ label: 'Messages', href: paths.messages(), linkClass: 'messages-link', badgeClass: 'message-count', noun: 'unread conversation', none: 'No unread messages', activeClass: 'has-unread' });
  const reports = countLink({ label: 'Reports', href: paths.reports(), linkClass: 'reports-link', badgeClass: 'report-count', noun: 'open report', none: 'No open reports', activeClass: 'has-open' });
  const queue = countLink({ label: 'Queue', href: paths.queue(), linkClass: 'queue-link', badgeClass: 'queue-count', noun: 'post awaiting approval', none: 'No posts awaiting approval', activeClass: 'has-queued' });
  const notice = h('p', { class: 'notice page-notice', role: 'alert', hidden: true });
  // The member list is for everyone, guests too: one link, kept through every login and logout.
  const members = h('a', { href: paths.members(), class: 'button small members-link' }, 'Members');
  const el = h(
    'header',
    { class: 'site-header' },
    h(
      'div',
      { class: 'headerbar' },
      h('div', { class: 'site-id' }, h('a', { href: paths.board(), class: 'site-name' }, 'Realtime Forum'), h('p', { class: 'site-tagline' }, 'Everything here updates live.')),
      h('div', { class: 'header-side' }, connection, account, searchForm({ navigate }, '', 'header-search-q')),
    ),
    h('nav', { class: 'navbar', 'aria-label': 'Breadcrumbs' }, crumbs),
    notice,
  );

  /** A message for the whole page (e.g. signed out), until the next one or `null`. */
  function notify(text: string | null): void {
    notice.textContent = text ?? '';
    notice.hidden = !text;
  }

  function setCrumbs(list: Crumb[]): void {
    replaceChildren(
      crumbs,
      list.map((c, i) =>
        h('li', null, c.href && i < list.length - 1 ? h('a', { href: c.href }, c.label) : h('span', { 'aria-current': i === list.length - 1 ? 'page' : false }, c.label)),
      ),
    );
  }

  function setState(state: ConnectionState): void {
    connection.dataset.state = state;
    connection.textContent = STATE_LABEL[state];
  }

  function setAccount(ctx: WebContext): void {
    if (!ctx.session) {
      const here = location.pathname + location.search;
      const back = location.pathname === '/login' || location.pathname === '/register' ? '/' : here;
      replaceChildren(account, members, ' ', h('a', { href: paths.register(back), class: 'button small' }, 'Register'), ' ', h('a', { href: paths.login(back), class: 'button small' }, 'Log in'));
      return;
    }
    const me = ctx.session.user;
    replaceChildren(
      account,
      h('span', { class: 'whoami' }, 'Logged in as ', h('strong', null, userLink(me))),
      members,
      h('a', { href: paths.unread(), class: 'button small' }, 'Unread posts'),
      notifications.el,
      messages.el,
      h('a', { href: paths.bookmarks(), class: 'button small bookmarks-link' }, 'Bookmarks'),
      h('a', { href: paths.ucp(), class: 'button small' }, 'User Control Panel'),
      me.role === 'moderator' || me.role === 'admin'
        ? [' ', h('a', { href: paths.modlog(), class: 'button small' }, 'Moderation log'), ' ', reports.el, ' ', queue.el, ' ', h('a', { href: paths.whoIsOnline(), class: 'button small who-is-online-link' }, 'Who is online')]
        : null,
      ' ',
      h('button', { type: 'button', class: 'button small', onclick: () => ctx.logout() }, 'Log out'),
    );
  }

  /** Follow this store's unread count (a new one on every login, logout or reconnect as someone). */
  function setNotifications(store: NotificationStore): void {
    notifications.follow(store);
  }

  /** Follow this store's unread conversations (a new one on every login, logout or reconnect as someone). */
  function setMessages(store: MessageStore): void {
    messages.follow(store);
  }

  /** Follow this store's open reports (a new one on every login, logout or reconnect as someone; inert for members). */
  function setReports(store: ReportStore): void {
    reports.follow(store);
  }

  /** Follow this store's posts awaiting approval (a new one on every login, logout or reconnect as someone; inert for members). */
  function setQueue(store: QueueStore): void {
    queue.follow(store);
  }

  return { el, setCrumbs, setState, setAccount, setNotifications, setMessages, setReports, setQueue, notify };
}
