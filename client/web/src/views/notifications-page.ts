import type { Notification as ForumNotification, NotificationKind, NotificationsPage } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import type { NotificationChange } from '../live/notification-store.js';
import { heldChanges } from '../live/held-changes.js';
import { byData, h, replaceChildren } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { pagination } from './pagination.js';

/** "alice replied to <title>", as phpBB and Discourse word them. */
const WORDING: Record<NotificationKind, string> = {
  reply: ' replied to ',
  mention: ' mentioned you in ',
  quote: ' quoted you in ',
  thanks: ' thanked your post in ',
  topic: ' started ',
  solution: ' chose your post as the solution in ',
  approved: ' approved your post in ',
};

/**
 * The member's notifications, newest first: each line says who did what where, links to the
 * post (its page, scrolled to it) and is marked read when followed. Unread lines are bold.
 * New ones arrive live at the top of page 1; a mark-read in any tab shows at once.
 */
export function notificationsPage(ctx: WebContext, main: HTMLElement, page: number): Page {
  let alive = true;
  ctx.setPlace('Notifications', [{ label: 'Board index', href: paths.board() }, { label: 'Notifications' }]);
  if (!ctx.session) {
    replaceChildren(main, h('h1', { class: 'page-title' }, 'Notifications'), h('p', { class: 'panel' }, h('a', { href: paths.login(paths.notifications(page)) }, 'Log in'), ' to see your notifications.'));
    return { dispose() {} };
  }
  replaceChildren(main, loading());
  const store = ctx.notifications;
  /** Set once the list is on the page; until then, pushes wait. */
  let shown: { list: HTMLElement; empty: HTMLElement; total: HTMLElement; page: number } | null = null;
  const changes = heldChanges<NotificationChange>((l) => store.subscribe(l), apply);

  void (async () => {
    try {
      const data = await store.page(page);
      if (alive) render(data);
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  })();

  function render(data: NotificationsPage): void {
    const pages = () => pagination(data.page, data.pageCount, (p) => paths.notifications(p), 'Notification pages');
    const list = h('ol', { class: 'notifications' }, data.notifications.map(line));
    const empty = h('p', { class: 'panel no-notifications', hidden: data.notifications.length > 0 }, 'You have no notifications.');
    const total = h('p', { class: 'total' });
    const markAll = h('button', { type: 'button', class: 'button small mark-read mark-all-read' }, 'Mark all read');
    markAll.addEventListener('click', () => {
      markAll.disabled = true;
      store.markRead().then(
        () => (markAll.disabled = false),
        (err: unknown) => {
          markAll.disabled = false;
          ctx.notify(err instanceof Error ? `Could not mark notifications read: ${err.message}` : 'Could not mark notifications read.');
        },
      );
    });
    replaceChildren(
      main,
      h('h1', { class: 'page-title' }, 'Notifications'),
      h('div', { class: 'action-bar' }, markAll, total, pages()),
      list,
      empty,
      h('div', { class: 'action-bar' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages()),
    );
    shown = { list, empty, total, page: data.page };
    showTotal();
    changes.shown();
  }

  function showTotal(): void {
    if (!shown) return;
    const n = store.count ?? 0;
    shown.total.dataset.total = String(n);
    shown.total.textContent = n ? plural(n, 'unread notification') : 'No unread notifications';
  }

  function apply(change: NotificationChange): void {
    if (!shown) return;
    if (change.type === 'new' && shown.page === 1 && !byData(shown.list, 'notification-id', change.notification.id).length) {
      shown.list.prepend(line(change.notification));
      shown.empty.hidden = true;
    } else if (change.type === 'read') {
      const lines = change.all || !change.ids ? [...shown.list.querySelectorAll<HTMLElement>('li.notification')] : change.ids.flatMap((id) => byData(shown!.list, 'notification-id', id));
      for (const el of lines) setRead(el, true);
    }
    showTotal();
  }

  /** One notification: "alice replied to <title>", when, linked to the post. */
  function line(n: ForumNotification): HTMLElement {
    const link = h(
      'a',
      { href: paths.post(n.topicId, n.postId), class: 'notification-text' },
      h('strong', { class: 'actor' }, n.actor.username),
      WORDING[n.kind] ?? ' in ',
      h('span', { class: 'notification-topic' }, n.topicTitle),
    );
    const el = h(
      'li',
      { class: 'notification panel', 'data-notification-id': n.id, 'data-kind': n.kind },
      h('span', { class: 'badge new', hidden: n.read }, 'New'),
      link,
      h('p', { class: 'meta' }, h('time', { datetime: n.createdAt }, formatDateTime(n.createdAt))),
    );
    setRead(el, n.read);
    // Following it reads it: marked here at once, told to the server on the way to the post.
    link.addEventListener('click', () => {
      if (!el.classList.contains('unread')) return;
      setRead(el, true);
      store.markRead([n.id]).catch(() => alive && setRead(el, false));
    });
    return el;
  }

  return {
    dispose() {
      alive = false;
      changes.stop();
    },
  };
}

function setRead(el: HTMLElement, read: boolean): void {
  el.classList.toggle('unread', !read);
  const badge = el.querySelector<HTMLElement>('.badge.new');
  if (badge) badge.hidden = read;
}
