import type { BoardStats, Forum } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { followForums } from '../live/follow-forums.js';
import { liveListing } from '../live/live-listing.js';
import { patchBoard } from '../live/listing-patches.js';
import { errorPanel, loading, markReadButton } from './common.js';
import { onlineBox } from './online-box.js';
import { boardStatsBox } from './board-stats.js';
import { feedAnchor } from './feed-link.js';
import { forumTables } from './forum-tables.js';

interface BoardIndex {
  forums: Forum[];
  stats: BoardStats | null;
}

/** After an event the index cannot apply itself (a deletion, a move), it is fetched again this much later. */
const REFRESH_DELAY_MS = 1_000;

/**
 * The board index: every forum with its counts and last post (under its category; a subforum in its
 * parent's row, its counts and last post added into the parent's at each render, forum-tree), then who is online and the
 * statistics (totals, members, newest member, most ever online). Live: it
 * follows every listed forum's events; a new post moves its forum's counts, "last post" and
 * New mark in place (listing-patches), anything else fetches the index again.
 */
export function boardPage(ctx: WebContext, main: HTMLElement): Page {
  let alive = true;
  const online = onlineBox(ctx.online, ctx.friendList);
  ctx.setPlace('Board index', [{ label: 'Board index' }]);
  replaceChildren(main, loading());

  const reader = { id: ctx.session?.user.id ?? null };
  const listing = liveListing<BoardIndex>({
    // The statistics come with each listing; without them (an error) the totals still show.
    load: async () => {
      const [{ forums }, stats] = await Promise.all([ctx.api.get<{ forums: Forum[] }>('/forums'), ctx.api.get<BoardStats>('/stats').catch(() => null)]);
      return { forums, stats };
    },
    render,
    patch: (data, event) => patchBoard(data.forums, event, reader),
    delayMs: REFRESH_DELAY_MS,
  });
  const forums = followForums(ctx.client, { event: listing.event, reload: listing.soon });

  function render(data: BoardIndex): void {
    replaceChildren(
      main,
      h('h1', { class: 'page-title' }, 'Board index'),
      h(
        'div',
        { class: 'action-bar' },
        ctx.session ? markReadButton('Mark forums read', () => ctx.api.request('POST', '/forums/read', {}), listing.now) : null,
        h('a', { href: paths.active(), class: 'active-link' }, 'Active topics'),
        ' ',
        h('a', { href: paths.unanswered(), class: 'unanswered-link' }, 'Unanswered topics'),
        ' ',
        h('a', { href: paths.tags(), class: 'tags-link' }, 'Tags'),
      ),
      forumTables(data.forums),
      online.el,
      boardStatsBox(data.forums, data.stats),
      h('p', { class: 'feed-line' }, feedAnchor('/feed.atom', 'Newest posts on the board')),
    );
    forums.sync(data.forums);
  }

  listing.start().catch((err: unknown) => {
    if (alive) replaceChildren(main, errorPanel(err), online.el);
  });

  return {
    dispose() {
      alive = false;
      listing.dispose();
      forums.stop();
      online.dispose();
    },
  };
}
