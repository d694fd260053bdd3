import { Feed } from 'feed';
import type { FeedData } from '../services/feed.service.js';
import { escapeHtml } from './body-renderer.js';

/** Root-relative links and image sources (`/attachments/…`, `/u/…`) made absolute: feed readers show posts away from the site. */
export function absoluteLinks(html: string, origin: string): string {
  return html.replace(/\b(src|href)="\/(?!\/)/g, `$1="${origin}/`);
}

/** A feed as Atom 1.0, its links under `origin` (scheme, host and port, no trailing slash). */
export function atomFeed(data: FeedData, origin: string): string {
  const page = `${origin}${data.path}`;
  const feed = new Feed({
    id: page,
    title: data.title,
    description: data.description,
    link: page,
    updated: data.entries.reduce<Date | undefined>((newest, e) => (!newest || e.updated > newest ? e.updated : newest), undefined) ?? new Date(0),
    feedLinks: { atom: `${origin}${data.path === '/' ? '' : data.path}/feed.atom` },
    generator: 'Realtime Forum',
  });
  for (const e of data.entries) {
    const link = `${origin}/t/${e.topicId}?post=${e.postId}#p${e.postId}`;
    feed.addItem({
      id: `${origin}/t/${e.topicId}?post=${e.postId}`,
      title: escapeHtml(e.subject), // the library marks entry titles as HTML
      link,
      date: e.updated,
      published: e.published,
      author: [{ name: e.author }],
      content: absoluteLinks(e.html, origin),
    });
  }
  return feed.atom1();
}
