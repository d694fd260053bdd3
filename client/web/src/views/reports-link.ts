import type { ReportStore } from '../live/report-store.js';
import { h } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';

/**
 * The header's "Reports" link for moderators, with the board's open reports beside it (hidden
 * at 0). Made once for the header; `follow` moves it to the store of whoever is logged in now.
 */
export function reportsLink() {
  const count = h('span', { class: 'badge report-count', 'data-count': '0', hidden: true }, '0');
  const el = h('a', { href: paths.reports(), class: 'button small reports-link' }, 'Reports', ' ', count);
  let unfollow: () => void = () => {};

  function show(open: number | null): void {
    const n = open ?? 0;
    count.textContent = String(n);
    count.dataset.count = String(n);
    count.hidden = n === 0;
    el.title = n ? `${plural(n, 'open report')}` : 'No open reports';
    el.classList.toggle('has-open', n > 0);
  }

  function follow(store: ReportStore): void {
    unfollow();
    show(store.openCount);
    unfollow = store.subscribe(() => show(store.openCount));
  }

  return { el, follow };
}
