import type { Forum } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { errorPanel, lastPostCell, loading } from './common.js';
import { onlineBox } from './online-box.js';

/** The board index: every forum with its counts and last post, then who is online. */
export function boardPage(ctx: WebContext, main: HTMLElement): Page {
  let alive = true;
  const online = onlineBox(ctx.online);
  ctx.setPlace('Board index', [{ label: 'Board index' }]);
  replaceChildren(main, loading());

  void (async () => {
    try {
      const { forums } = await ctx.api.get<{ forums: Forum[] }>('/forums');
      if (!alive) return;
      replaceChildren(main, h('h1', { class: 'page-title' }, 'Board index'), forumTable(forums), online.el);
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err), online.el);
    }
  })();

  return {
    dispose() {
      alive = false;
      online.dispose();
    },
  };
}

function forumTable(forums: Forum[]): HTMLElement {
  return h(
    'table',
    { class: 'list forums' },
    h('caption', { class: 'visually-hidden' }, 'Forums'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Forum'), h('th', { scope: 'col', class: 'num' }, 'Topics'), h('th', { scope: 'col', class: 'num' }, 'Posts'), h('th', { scope: 'col' }, 'Last post'))),
    h(
      'tbody',
      null,
      forums.length
        ? forums.map((f) =>
            h(
              'tr',
              { 'data-forum-id': f.id },
              h('th', { scope: 'row', class: 'title' }, h('a', { href: paths.forum(f.id), class: 'forumtitle' }, f.title), f.description ? h('p', { class: 'description' }, f.description) : null),
              h('td', { class: 'num', 'data-label': 'Topics' }, f.topicCount),
              h('td', { class: 'num', 'data-label': 'Posts' }, f.postCount),
              h('td', { class: 'last', 'data-label': 'Last post' }, lastPostCell(f.lastPost)),
            ),
          )
        : h('tr', null, h('td', { colspan: 4 }, 'There are no forums yet.')),
    ),
  );
}
