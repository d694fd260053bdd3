import type { Forum } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { isHeld } from '../../../sdk/index.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths, type ForumFilter, type SolvedFilter } from '../router.js';
import { followForums } from '../live/follow-forums.js';
import { liveListing } from '../live/live-listing.js';
import { patchBoard, patchTopicPage, type TopicPage } from '../live/listing-patches.js';
import { errorPanel, loading, markReadButton } from './common.js';
import { topicTable } from './topic-table.js';
import { pagination } from './pagination.js';
import { newTopicForm } from './new-topic-form.js';
import { watchButton } from './watch-button.js';
import { feedLink, guestReadable } from './feed-link.js';
import { browsingBox } from './viewers-box.js';
import { myHeldBlock } from './my-held-posts.js';
import { forumCrumbs } from './forum-crumbs.js';
import { subforumTable } from './forum-tables.js';
import { descendants, forumTree } from './forum-tree.js';
import { approvalNotice } from './approval-notice.js';

/**
 * Signed in: `watching` says whether they watch the forum. `board`: `GET /forums`' list, for the
 * forum's subforums and the forums it sits in (empty if it could not be read).
 */
type TopicList = TopicPage & { watching?: boolean; board: Forum[] };

/** After an event the page cannot apply itself, the listing is fetched again this much later (a burst costs one fetch). */
const REFRESH_DELAY_MS = 250;

/**
 * A forum's topics, newest activity first, with pages; live: the page follows the forum's
 * events. On the first page a new topic or reply takes its place at the top, with its counts,
 * "last post" and New mark (listing-patches); locks, renames, moves, deletions, and any change
 * on a later page fetch the listing again, so order and counts stay as the server has them.
 * A forum with subforums lists them above its topics (phpBB's), as the board index does, live too.
 * `filter` narrows it to solved or unsolved topics, to one tag's (its topics' tag badges link to
 * this filter), or both.
 */
export function forumPage(ctx: WebContext, main: HTMLElement, forumId: string, page: number, filter: ForumFilter = {}): Page {
  const { solved, tag } = filter;
  let alive = true;
  ctx.setPlace('Forum', [{ label: 'Board index', href: paths.board() }, { label: 'Forum' }]);
  replaceChildren(main, loading());

  const reader = { id: ctx.session?.user.id ?? null };
  /** The member's own new topics here awaiting approval, above the listing, live. */
  const held = myHeldBlock(ctx, 'topic', (p) => p.kind === 'topic' && p.forumId === forumId);
  /** In the form: that a member's topic here waits for a moderator, where the forum says so. */
  const approval = approvalNotice(ctx.session);
  // Members get the New Topic form; it lives outside what each refresh redraws.
  const form = ctx.session
    ? newTopicForm({
        draftKey: `new-topic:${forumId}`,
        api: ctx.api,
        notice: approval.el,
        send: async (input) => {
          const made = await ctx.client.post(forumId, input);
          // A new member's topic may wait for a moderator: said, and the form clears as for a post.
          if (isHeld(made)) {
            held?.add(made.queued); // the same post as this tab's queue:held push: shown once
            return ctx.notify('Your topic is awaiting a moderator’s approval. It will appear once approved.');
          }
          if (alive) ctx.navigate(paths.topic(made.topic.id));
        },
      })
    : null;
  // Members watch a forum to be told of its new topics; the state shown is the first load's, then the button's own.
  const watch = ctx.session ? watchButton(ctx.api, { kind: 'forum', id: forumId }, (text) => ctx.notify(text)) : null;
  let watchShown = false;
  const heading = h('div', { class: 'forum-heading' });
  const listing = h('div', { class: 'forum-listing' });
  // Who else is here (on this page or in its topics), live; outside what each refresh redraws.
  const browsing = browsingBox(ctx.client.socket, forumId, ctx.friendList);
  const stats = h('div', { class: 'stat-blocks' }, browsing.el);

  /** Mark these forums read, one request each (the server marks one forum at a time). */
  const markRead = (ids: string[]) => Promise.all(ids.map((id) => ctx.api.request('POST', `/forums/${encodeURIComponent(id)}/read`, {})));

  function render(data: TopicList): void {
    if (watch && !watchShown) {
      watch.show(data.watching);
      watchShown = true;
    }
    ctx.setPlace(data.forum.title, forumCrumbs(data.board, data.forum));
    approval.show(data.forum);
    const node = forumTree(data.board).node(forumId);
    const subforums = node?.subforums ?? [];
    const pages = () => pagination(data.page, data.pageCount, (p) => paths.forum(forumId, p, filter), 'Topic pages');
    // phpBB's two tables: the announcements (on every page), then the topics.
    const announced = data.topics.filter((t) => t.announcement);
    const others = data.topics.filter((t) => !t.announcement);
    replaceChildren(
      heading,
      h('h1', { class: 'page-title' }, data.forum.title),
      data.forum.description ? h('p', { class: 'forum-description' }, data.forum.description) : null,
    );
    replaceChildren(
      listing,
      subforums.length ? subforumTable(subforums) : null,
      solvedTabs(forumId, filter),
      tag ? tagFilterLine(forumId, tag, solved) : null,
      h(
        'div',
        { class: 'action-bar' },
        newTopicButton(form, forumId, data.forum.may?.post !== false),
        watch?.el ?? null,
        ctx.session ? markReadButton('Mark topics read', () => markRead([forumId]), live.now) : null,
        // phpBB's "Mark subforums read": every forum below this one.
        ctx.session && node && subforums.length ? markReadButton('Mark subforums read', () => markRead(descendants(node).map((f) => f.id)), live.now) : null,
        h('p', { class: 'total' }, plural(data.forum.topicCount, 'topic')),
        pages(),
      ),
      announced.length ? topicTable(announced, { empty: '', heading: 'Announcements', tagHref }) : null,
      topicTable(others, { empty: emptyText(filter), tagHref }),
      h(
        'div',
        { class: 'action-bar' },
        h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'),
        guestReadable(data.forum) ? feedLink(`/f/${encodeURIComponent(forumId)}/feed.atom`, `Newest posts in ${data.forum.title}`) : null,
        pages(),
      ),
    );
    if (!main.contains(listing)) replaceChildren(main, heading, form?.el ?? null, held?.el ?? null, listing, stats);
    // Followed from the first listing's cursor: what was claimed by then is in it, what comes
    // after arrives as events (replayed, if it landed before the subscription).
    following.sync([data.forum]);
    // Its subforums' rows sum theirs and their own subforums': all are followed (not browsed).
    below.sync(node ? descendants(node) : []);
  }

  /**
   * The board's forums come with the first listing, and with later ones only while this forum has
   * subforums to show (or the list could not be read): most forums have none, and a member's
   * `GET /forums` is not free. Without it the page still shows, without subforums.
   */
  let board: Forum[] | null = null;
  async function load(): Promise<TopicList> {
    const again = board === null || forumTree(board).node(forumId)?.subforums.length;
    const [list, forums] = await Promise.all([
      ctx.api.get<Omit<TopicList, 'board'>>(`/forums/${encodeURIComponent(forumId)}/topics?${new URLSearchParams({ page: String(page), ...(solved && { solved }), ...(tag && { tag }) })}`),
      again ? ctx.api.get<{ forums: Forum[] }>('/forums').then((r) => r.forums, () => null) : board,
    ]);
    if (forums) board = forums;
    return { ...list, board: forums ?? board ?? [] };
  }

  const live = liveListing<TopicList>({
    load,
    render,
    // A subforum's event moves its row as on the board index. A filtered listing cannot tell from
    // an event whether a topic belongs in it: it asks again.
    patch: (data, event) => (event.data.forumId !== forumId ? patchBoard(data.board, event, reader) : solved || tag ? 'refetch' : patchTopicPage(data, event, reader)),
    delayMs: REFRESH_DELAY_MS,
  });
  /** A tag badge narrows this forum's listing to the tag (keeping the solved filter); the tag's page across the board is linked from the filter's line. */
  const tagHref = (t: string) => paths.forum(forumId, 1, { solved, tag: t });
  const following = followForums(ctx.client, { event: live.event, reload: live.soon }, { browsing: true });
  // Global announcements head this listing too, whichever forum they are in.
  const stopAnnouncements = ctx.client.onAnnouncements(live.soon);
  const below = followForums(ctx.client, { event: live.event, reload: live.soon });

  live.start().catch((err: unknown) => {
    if (alive) replaceChildren(main, errorPanel(err));
  });

  return {
    dispose: () => {
      alive = false;
      following.stop();
      stopAnnouncements();
      below.stop();
      live.dispose();
      browsing.dispose();
      held?.dispose();
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

/** All topics, or only solved or unsolved ones (Discourse's solved filter), as links that keep to page 1 (and to the tag shown). */
function solvedTabs(forumId: string, { solved, tag }: ForumFilter): HTMLElement {
  const tab = (which: SolvedFilter | undefined, label: string) =>
    h('li', null, h('a', { href: paths.forum(forumId, 1, { solved: which, tag }), class: `tab ${which ?? 'all'}`, 'aria-current': which === solved ? 'page' : false }, label));
  return h('nav', { class: 'solved-tabs', 'aria-label': 'Solved or unsolved topics' }, h('ul', null, tab(undefined, 'All topics'), tab('yes', 'Solved'), tab('no', 'Unsolved')));
}

/** "Showing topics tagged X — show all": the way back to the whole listing (keeping the solved filter), and the tag in every forum. */
function tagFilterLine(forumId: string, tag: string, solved: SolvedFilter | undefined): HTMLElement {
  return h(
    'p',
    { class: 'tag-filter', 'data-tag': tag },
    'Showing topics tagged ',
    h('span', { class: 'badge tag' }, tag),
    ' — ',
    h('a', { href: paths.forum(forumId, 1, { solved }), class: 'show-all' }, 'show all'),
    ' · ',
    h('a', { href: paths.tag(tag), class: 'tag-everywhere' }, `“${tag}” in every forum`),
  );
}

/** What an empty listing says, for its filters. */
function emptyText({ solved, tag }: ForumFilter): string {
  if (!solved && !tag) return 'There are no topics in this forum yet.';
  const kind = solved ? `${solved === 'yes' ? 'solved' : 'unsolved'} topics` : 'topics';
  return `There are no ${kind}${tag ? ` tagged “${tag}”` : ''} in this forum.`;
}
