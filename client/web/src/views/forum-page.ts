import type { Forum, Topic } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { followForums } from '../live/follow-forums.js';
import { refreshSoon } from '../live/refresh-soon.js';
import { errorPanel, loading, markReadButton } from './common.js';
import { topicTable } from './topic-table.js';
import { pagination } from './pagination.js';
import { newTopicForm } from './new-topic-form.js';

interface TopicList {
  forum: Forum;
  topics: Topic[];
  page: number;
  pageCount: number;
}

/** After a forum event, the listing is fetched again this much later (a burst costs one fetch). */
const REFRESH_DELAY_MS = 250;

/**
 * A forum's topics, newest activity first, with pages; live: the page follows the forum's
 * events (new replies and topics, locks, renames, moves, deletions) and fetches its listing
 * again after each burst of them, so order, counts and "last post" stay as the server has them.
 */
export function forumPage(ctx: WebContext, main: HTMLElement, forumId: string, page: number): Page {
  let alive = true;
  ctx.setPlace('Forum', [{ label: 'Board index', href: paths.board() }, { label: 'Forum' }]);
  replaceChildren(main, loading());

  const load = () => ctx.api.get<TopicList>(`/forums/${encodeURIComponent(forumId)}/topics?page=${page}`);
  // Members get the New Topic form; it lives outside what each refresh redraws.
  const form = ctx.session
    ? newTopicForm({
        draftKey: `new-topic:${forumId}`,
        send: async (input) => {
          const { topic } = await ctx.client.post(forumId, input);
          if (alive) ctx.navigate(paths.topic(topic.id));
        },
      })
    : null;
  const heading = h('div', { class: 'forum-heading' });
  const listing = h('div', { class: 'forum-listing' });

  function render(data: TopicList): void {
    ctx.setPlace(data.forum.title, [{ label: 'Board index', href: paths.board() }, { label: data.forum.title, href: paths.forum(forumId) }]);
    const pages = () => pagination(data.page, data.pageCount, (p) => paths.forum(forumId, p), 'Topic pages');
    replaceChildren(
      heading,
      h('h1', { class: 'page-title' }, data.forum.title),
      data.forum.description ? h('p', { class: 'forum-description' }, data.forum.description) : null,
    );
    replaceChildren(
      listing,
      h(
        'div',
        { class: 'action-bar' },
        newTopicButton(form, forumId, data.forum.may?.post !== false),
        ctx.session ? markReadButton('Mark topics read', () => ctx.api.request('POST', `/forums/${encodeURIComponent(forumId)}/read`, {}), refresh.soon) : null,
        h('p', { class: 'total' }, plural(data.forum.topicCount, 'topic')),
        pages(),
      ),
      topicTable(data.topics, { empty: 'There are no topics in this forum yet.' }),
      h('div', { class: 'action-bar' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages()),
    );
    if (!main.contains(listing)) replaceChildren(main, heading, form?.el ?? null, listing);
  }

  const refresh = refreshSoon(load, render, REFRESH_DELAY_MS);
  const following = followForums(ctx.client, refresh.soon);

  void (async () => {
    try {
      const data = await load();
      if (!alive) return;
      render(data);
      // The listing's `seq` is the forum's cursor, which counts writes still in flight: once
      // subscribed, fetch again, so one that landed between the listing and the subscribe shows.
      following.sync([data.forum]);
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  })();

  return {
    dispose: () => {
      alive = false;
      following.stop();
      refresh.dispose();
    },
  };
}

/**
 * Members open the form, where the forum lets them start topics (`may.post`); guests get the same
 * button as a link to log in and come back (phpBB's way).
 */
function newTopicButton(form: { open(): void } | null, forumId: string, mayPost: boolean): HTMLElement | null {
  if (form) return mayPost ? h('button', { type: 'button', class: 'button primary new-topic', onclick: () => form.open() }, 'New Topic') : null;
  return h('a', { href: paths.login(paths.forum(forumId)), class: 'button primary new-topic', title: 'Log in to post a new topic' }, 'New Topic');
}
