import type { TopicsAcross } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { topicsAcrossView } from './topics-across.js';

/**
 * phpBB's "Unanswered topics": topics no one has replied to yet, across every forum the reader
 * may read, newest first (for a member, New on those unread). Where a helper looks first.
 */
export function unansweredPage(ctx: WebContext, main: HTMLElement, page: number): Page {
  let alive = true;
  ctx.setPlace('Unanswered topics', [{ label: 'Board index', href: paths.board() }, { label: 'Unanswered topics' }]);
  replaceChildren(main, loading());

  function render(data: TopicsAcross): void {
    replaceChildren(main, topicsAcrossView(data, { title: 'Unanswered topics', noun: 'unanswered topic', empty: 'Every topic has an answer.', pageHref: (p) => paths.unanswered(p) }));
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
