import type { Forum } from '../../../../shared/schemas.js';
import { h } from '../dom.js';

/** Whether a guest may read the forum: feeds are a guest's view (feed readers send no token). */
export function guestReadable(forum: Pick<Forum, 'permissions'> | undefined): boolean {
  const read = forum?.permissions?.read;
  return !read || read.includes('guest');
}

/** A visible link to a feed. */
export function feedAnchor(href: string, title: string): HTMLAnchorElement {
  return h('a', { href, class: 'feed-link', type: 'application/atom+xml', title: `${title} as an Atom feed, for feed readers` }, 'Atom feed');
}

/** A page's own feed, as a visible link and as the page's autodiscovery link in <head>. */
export function feedLink(href: string, title: string): HTMLAnchorElement {
  announceFeed(href, title);
  return feedAnchor(href, title);
}

/** Set (or, with null, remove) the current page's `<link rel="alternate">` to its feed; the board's, in the page shell for readers that run no script, stays. */
export function announceFeed(href: string | null, title = ''): void {
  document.head.querySelector('link[data-page-feed]')?.remove();
  if (href) document.head.append(h('link', { rel: 'alternate', type: 'application/atom+xml', title, href, 'data-page-feed': '' }));
}
