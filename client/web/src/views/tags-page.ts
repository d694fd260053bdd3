import type { TagList } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';

/**
 * The tags in use (Discourse's and NodeBB's tags page): the most used first, as many as the server
 * lists, each linked to its topics across the board with how many of the reader's readable topics carry it.
 */
export function tagsPage(ctx: WebContext, main: HTMLElement): Page {
  let alive = true;
  ctx.setPlace('Tags', [{ label: 'Board index', href: paths.board() }, { label: 'Tags' }]);
  replaceChildren(main, loading());

  function render({ tags }: TagList): void {
    replaceChildren(
      main,
      h('h1', { class: 'page-title' }, 'Tags'),
      h('div', { class: 'action-bar' }, h('p', { class: 'total', 'data-total': tags.length }, plural(tags.length, 'tag'))),
      h(
        'table',
        { class: 'list tag-index' },
        h('caption', { class: 'visually-hidden' }, 'Tags'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Tag'), h('th', { scope: 'col', class: 'num' }, 'Topics'))),
        h(
          'tbody',
          null,
          tags.length
            ? tags.map((tag) =>
                h(
                  'tr',
                  { 'data-tag': tag.name },
                  h('th', { scope: 'row' }, h('a', { href: paths.tag(tag.name), class: 'badge tag', rel: 'tag' }, tag.name)),
                  h('td', { class: 'num', 'data-label': 'Topics' }, tag.topics),
                ),
              )
            : h('tr', null, h('td', { colspan: 2 }, 'No topic has a tag yet.')),
        ),
      ),
      h('div', { class: 'action-bar' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index')),
    );
  }

  ctx.api
    .get<TagList>('/tags')
    .then((data) => alive && render(data))
    .catch((err: unknown) => alive && replaceChildren(main, errorPanel(err)));
  return {
    dispose() {
      alive = false;
    },
  };
}
