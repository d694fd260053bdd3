import type { UnreadTopics } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { errorPanel, loading, markReadButton } from './common.js';
import { topicsAcrossView } from './topics-across.js';

/**
 * phpBB's "View unread posts": the member's unread topics across the board, last posted in
 * first, each with New linked to its first unread post; "Mark forums read" clears the list.
 */
export function unreadPage(ctx: WebContext, main: HTMLElement, page: number): Page {
  let alive = true;
  ctx.setPlace('Unread posts', [{ label: 'Board index', href: paths.board() }, { label: 'Unread posts' }]);
  if (!ctx.session) {
    replaceChildren(main, h('h1', { class: 'page-title' }, 'Unread posts'), h('p', { class: 'panel' }, h('a', { href: paths.login(paths.unread()) }, 'Log in'), ' to see what is new since your last visit.'));
    return { dispose() {} };
  }
  replaceChildren(main, loading());

  async function load(): Promise<void> {
    try {
      const data = await ctx.api.get<UnreadTopics>(`/unread?page=${page}`);
      if (alive) render(data);
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  }

  function render(data: UnreadTopics): void {
    replaceChildren(
      main,
      topicsAcrossView(data, {
        title: 'Unread posts',
        noun: 'unread topic',
        empty: 'No unread posts: you are up to date.',
        pageHref: (p) => paths.unread(p),
        action: data.total ? markReadButton('Mark forums read', () => ctx.api.request('POST', '/forums/read', {}), () => void load()) : null,
      }),
    );
  }

  void load();
  return {
    dispose() {
      alive = false;
    },
  };
}
