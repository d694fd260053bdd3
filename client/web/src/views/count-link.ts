import type { LiveCount } from '../live/live-count.js';
import { h } from '../dom.js';
import { plural } from '../format.js';

export interface CountLinkOptions {
  label: string;
  href: string;
  /** The link's own class, and its badge's. */
  linkClass: string;
  badgeClass: string;
  /** What is counted, singular ("unread notification"), and the title when there are none. */
  noun: string;
  none: string;
  /** Set on the link while the count is above 0. */
  activeClass: string;
}

/**
 * A header link with a live count beside it (hidden at 0): Notifications, Messages, Reports.
 * Made once for the header; `follow` moves it to the store of whoever is logged in now.
 */
export function countLink({ label, href, linkClass, badgeClass, noun, none, activeClass }: CountLinkOptions) {
  const count = h('span', { class: `badge ${badgeClass}`, 'data-count': '0', hidden: true }, '0');
  const el = h('a', { href, class: `button small ${linkClass}` }, label, ' ', count);
  let unfollow: () => void = () => {};

  function show(value: number | null): void {
    const n = value ?? 0;
    count.textContent = String(n);
    count.dataset.count = String(n);
    count.hidden = n === 0;
    el.title = n ? plural(n, noun) : none;
    el.classList.toggle(activeClass, n > 0);
  }

  function follow(store: Pick<LiveCount<unknown>, 'count' | 'subscribe'>): void {
    unfollow();
    show(store.count);
    unfollow = store.subscribe(() => show(store.count));
  }

  return { el, follow };
}
