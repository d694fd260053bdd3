import type { TopicsAcross } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { pagination } from './pagination.js';
import { topicTable } from './topic-table.js';

/**
 * A page of topics from across the board (unread, unanswered): the title, a bar with what the
 * page may add (`action`), the total and pages, the topics each with its forum, and the way back.
 */
export function topicsAcrossView(
  data: TopicsAcross,
  opts: { title: string; noun: string; empty: string; pageHref: (page: number) => string; action?: HTMLElement | null },
): HTMLElement[] {
  const forums = new Map(data.forums.map((f) => [f.id, f]));
  const pages = () => pagination(data.page, data.pageCount, opts.pageHref, 'Result pages');
  return [
    h('h1', { class: 'page-title' }, opts.title),
    h('div', { class: 'action-bar' }, opts.action ?? null, h('p', { class: 'total', 'data-total': data.total }, plural(data.total, opts.noun)), pages()),
    topicTable(data.topics, { empty: opts.empty, forumOf: (t) => forums.get(t.forumId) }),
    h('div', { class: 'action-bar' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages()),
  ];
}
