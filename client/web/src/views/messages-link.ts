import type { MessageStore } from '../live/message-store.js';
import { h } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';

/**
 * The header's "Messages" link with the count of unread conversations beside it (hidden at 0).
 * Made once for the header; `follow` moves it to the store of whoever is logged in now.
 */
export function messagesLink() {
  const count = h('span', { class: 'badge message-count', 'data-count': '0', hidden: true }, '0');
  const el = h('a', { href: paths.messages(), class: 'button small messages-link' }, 'Messages', ' ', count);
  let unfollow: () => void = () => {};

  function show(unread: number | null): void {
    const n = unread ?? 0;
    count.textContent = String(n);
    count.dataset.count = String(n);
    count.hidden = n === 0;
    el.title = n ? `${plural(n, 'unread conversation')}` : 'No unread messages';
    el.classList.toggle('has-unread', n > 0);
  }

  function follow(store: MessageStore): void {
    unfollow();
    show(store.unreadCount);
    unfollow = store.subscribe(() => show(store.unreadCount));
  }

  return { el, follow };
}
