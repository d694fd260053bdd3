import { h } from '../dom.js';
import { paths } from '../router.js';

/**
 * A topic's tags as small badges (Discourse's, NodeBB's), each linked to `href` of it: the tag's
 * page across the board unless a page narrows it (a forum's listing links its own filter). Nothing
 * for a topic without tags.
 */
export function tagBadges(tags: string[] | undefined, href: (tag: string) => string = (tag) => paths.tag(tag)): HTMLElement | null {
  if (!tags?.length) return null;
  return h('ul', { class: 'tags', 'aria-label': 'Topic tags' }, tags.map((tag) => h('li', null, h('a', { href: href(tag), class: 'badge tag', rel: 'tag' }, tag))));
}
