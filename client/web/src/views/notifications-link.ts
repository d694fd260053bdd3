import type { NotificationStore } from '../live/notification-store.js';
import { h } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';

/**
 * The header's "Notifications" link with the unread count beside it (hidden at 0). Made once
 * for the header; `follow` moves it to the store of whoever is logged in now.
 */
export function notificationsLink() {
  const count = h('span', { class: 'badge notification-count', 'data-count': '0', hidden: true }, '0');
  const el = h('a', { href: paths.notifications(), class: 'button small notifications-link' }, 'Notifications', ' ', count);
  let unfollow: () => void = () => {};

  function show(unread: number | null): void {
    const n = unread ?? 0;
    count.textContent = String(n);
    count.dataset.count = String(n);
    count.hidden = n === 0;
    el.title = n ? `${plural(n, 'unread notification')}` : 'No unread notifications';
    el.classList.toggle('has-unread', n > 0);
  }

  function follow(store: NotificationStore): void {
    unfollow();
    show(store.unreadCount);
    unfollow = store.subscribe(() => show(store.unreadCount));
  }

  return { el, follow };
}
