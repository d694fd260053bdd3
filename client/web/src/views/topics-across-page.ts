import type { TopicsAcross } from '../../../sdk/index.js';
import type { Crumb, Page, WebContext } from '../context.js';
import { replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { topicsAcrossView } from './topics-across.js';

/** One of phpBB's quick links: a page of topics from across the board, fetched from `api` (its `?page=N`). */
interface QuickList {
  api: string;
  title: string;
  noun: string;
  empty: string;
  href: (page: number) => string;
  /** The page the list sits under in the breadcrumbs, after the board index (a tag's topics: Tags). */
  parent?: Crumb;
}

/**
 * phpBB's "Unanswered topics": topics no one has replied to yet, across every forum the reader
 * may read, newest first (for a member, New on those unread). Where a helper looks first.
 */
export const UNANSWERED: QuickList = { api: '/unanswered', title: 'Unanswered topics', noun: 'unanswered topic', empty: 'Every topic has an answer.', href: (p) => paths.unanswered(p) };

/** phpBB's "Active topics" (Discourse's "Latest"): topics posted in within the last week, last posted in first. */
export const ACTIVE: QuickList = { api: '/active', title: 'Active topics', noun: 'active topic', empty: 'No topic has been posted in this week.', href: (p) => paths.active(p) };

/** A tag's topics (Discourse's and NodeBB's tag pages), in every forum the reader may read, last posted in first. */
export function taggedTopics(tag: string): QuickList {
  return {
    api: `/tags/${encodeURIComponent(tag)}`,
    title: `Topics tagged “${tag}”`,
    noun: 'topic',
    empty: 'No topic you can read has this tag.',
    href: (p) => paths.tag(tag, p),
    parent: { label: 'Tags', href: paths.tags() },
  };
}

export function topicsAcrossPage(ctx: WebContext, main: HTMLElement, page: number, list: QuickList): Page {
  let alive = true;
  ctx.setPlace(list.title, [{ label: 'Board index', href: paths.board() }, ...(list.parent ? [list.parent] : []), { label: list.title }]);
  replaceChildren(main, loading());

  function render(data: TopicsAcross): void {
    replaceChildren(main, topicsAcrossView(data, { title: list.title, noun: list.noun, empty: list.empty, pageHref: list.href }));
  }

  ctx.api
    .get<TopicsAcross>(`${list.api}?page=${page}`)
    .then((data) => alive && render(data))
    .catch((err: unknown) => alive && replaceChildren(main, errorPanel(err)));
  return {
    dispose() {
      alive = false;
    },
  };
}
