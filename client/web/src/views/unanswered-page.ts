import type { TopicsAcross } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { pagination } from './pagination.js';
import { topicTable } from './topic-table.js';

/**
 * phpBB's "Unanswered topics": topics no one has replied to yet, across every forum the reader
 * may read, newest first (for a member, New on those unread). Where a helper looks first.
 */
export function unansweredPage(ctx: WebContext, main: HTMLElement, page: number): Page {
  let alive = true;
  ctx.setPlace('Unanswered topics', [{ label: 'Board index', href: paths.board() }, { label: 'Unanswered topics' }]);
  replaceChildren(main, loading());

  function render(data: TopicsAcross): void {
    const forums = new Map(data.forums.map((f) => [f.id, f]));
    const pages = () => pagination(data.page, data.pageCount, (p) => paths.unanswered(p), 'Result pages');
    replaceChildren(
      main,
      h('h1', { class: 'page-title' }, 'Unanswered topics'),
      h('div', { class: 'action-bar' }, h('p', { class: 'total', 'data-total': data.total }, plural(data.total, 'unanswered topic')), pages()),
      topicTable(data.topics, { empty: 'Every topic has an answer.', forumOf: (t) => forums.get(t.forumId) }),
      h('div', { class: 'action-bar' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages()),
    );
  }

  ctx.api
    .get<TopicsAcross>(`/unanswered?page=${page}`)
    .then((data) => alive && render(data))
    .catch((err: unknown) => alive && replaceChildren(main, errorPanel(err)));
  return {
    dispose() {
      alive = false;
    },
  };
}
