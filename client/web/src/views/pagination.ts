import { h } from '../dom.js';

/** Page numbers to show: first, last, and two either side of the current page. */
export function pageWindow(page: number, pageCount: number): Array<number | null> {
  const out: Array<number | null> = [];
  for (let p = 1; p <= pageCount; p++) {
    if (p === 1 || p === pageCount || Math.abs(p - page) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/** "Page 2 of 5 · Previous 1 2 3 … 5 Next", as a labelled nav. */
export function pagination(page: number, pageCount: number, hrefFor: (page: number) => string, label = 'Pages'): HTMLElement {
  const items = pageWindow(page, pageCount).map((p) =>
    p === null
      ? h('li', { class: 'ellipsis', 'aria-hidden': 'true' }, '…')
      : h('li', null, p === page ? h('span', { class: 'current', 'aria-current': 'page' }, p) : h('a', { href: hrefFor(p), 'aria-label': `Page ${p}` }, p)),
  );
  return h(
    'nav',
    { class: 'pagination', 'aria-label': label },
    h('span', { class: 'page-of' }, `Page ${page} of ${pageCount}`),
    h(
      'ul',
      null,
      page > 1 ? h('li', null, h('a', { href: hrefFor(page - 1), rel: 'prev', class: 'prev' }, 'Previous')) : null,
      items,
      page < pageCount ? h('li', null, h('a', { href: hrefFor(page + 1), rel: 'next', class: 'next' }, 'Next')) : null,
    ),
  );
}
