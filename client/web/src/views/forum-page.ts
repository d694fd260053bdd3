import type { Forum, Topic } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, lastPostCell, loading } from './common.js';
import { pagination } from './pagination.js';

interface TopicList {
  forum: Forum;
  topics: Topic[];
  page: number;
  pageCount: number;
}

/** A forum's topics, newest activity first, with pages. */
export function forumPage(ctx: WebContext, main: HTMLElement, forumId: string, page: number): Page {
  let alive = true;
  ctx.setPlace('Forum', [{ label: 'Board index', href: paths.board() }, { label: 'Forum' }]);
  replaceChildren(main, loading());

  void (async () => {
    try {
      const data = await ctx.api.get<TopicList>(`/forums/${encodeURIComponent(forumId)}/topics?page=${page}`);
      if (!alive) return;
      ctx.setPlace(data.forum.title, [{ label: 'Board index', href: paths.board() }, { label: data.forum.title, href: paths.forum(forumId) }]);
      const pages = () => pagination(data.page, data.pageCount, (p) => paths.forum(forumId, p), 'Topic pages');
      replaceChildren(
        main,
        h('h1', { class: 'page-title' }, data.forum.title),
        data.forum.description ? h('p', { class: 'forum-description' }, data.forum.description) : null,
        h('div', { class: 'action-bar' }, h('p', { class: 'total' }, `${data.forum.topicCount} topics`), pages()),
        topicTable(data.topics),
        h('div', { class: 'action-bar' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages()),
      );
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  })();

  return { dispose: () => void (alive = false) };
}

function topicTable(topics: Topic[]): HTMLElement {
  return h(
    'table',
    { class: 'list topics' },
    h('caption', { class: 'visually-hidden' }, 'Topics'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Topics'), h('th', { scope: 'col', class: 'num' }, 'Replies'), h('th', { scope: 'col' }, 'Last post'))),
    h(
      'tbody',
      null,
      topics.length
        ? topics.map((t) => {
            const lastPage = Math.max(1, Math.ceil(t.postCount / LIMITS.postsPerPage));
            return h(
              'tr',
              { 'data-topic-id': t.id },
              h(
                'th',
                { scope: 'row', class: 'title' },
                t.locked ? h('span', { class: 'badge locked' }, 'Locked') : null,
                h('a', { href: paths.topic(t.id), class: 'topictitle' }, t.title),
                h('p', { class: 'meta' }, 'by ', h('strong', null, t.authorName), ' » ', h('time', { datetime: t.createdAt }, formatDateTime(t.createdAt))),
              ),
              h('td', { class: 'num', 'data-label': 'Replies' }, Math.max(0, t.postCount - 1)),
              h('td', { class: 'last', 'data-label': 'Last post' }, t.lastPost ? lastPostCell({ ...t.lastPost }) : lastPostCell(null), lastPage > 1 ? h('a', { href: paths.topic(t.id, lastPage), class: 'jump' }, `Go to page ${lastPage}`) : null),
            );
          })
        : h('tr', null, h('td', { colspan: 3 }, 'There are no topics in this forum yet.')),
    ),
  );
}
