import type { Forum } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { paths } from '../router.js';
import { lastPostCell } from './common.js';
import { forumTree, type ForumNode } from './forum-tree.js';

/** Consecutive forums (in board order) that share a category; forums with none make runs of their own. */
export function categoryRuns<T extends { category?: string }>(forums: T[]): Array<{ category: string | null; forums: T[] }> {
  const runs: Array<{ category: string | null; forums: T[] }> = [];
  for (const f of forums) {
    const category = f.category ?? null;
    const last = runs[runs.length - 1];
    if (last && last.category === category) last.forums.push(f);
    else runs.push({ category, forums: [f] });
  }
  return runs;
}

/**
 * The board index's forums as phpBB draws them: one table per category, its name heading the
 * first column; forums without a category under "Forum". Only forums that stand on their own
 * get rows; subforums are listed in their parent's row, their counts and last post in its.
 */
export function forumTables(forums: Forum[]): HTMLElement {
  const top = forumTree(forums).top;
  if (!top.length) return forumTable({ category: null, nodes: [] });
  const runs = categoryRuns(top.map((node) => ({ node, category: node.forum.category })));
  return h('div', { class: 'forum-tables' }, runs.map((run) => forumTable({ category: run.category, nodes: run.forums.map((r) => r.node) })));
}

/** A forum page's subforums (phpBB's viewforum), drawn as the board index draws its forums. */
export function subforumTable(nodes: ForumNode[]): HTMLElement {
  return forumTable({ category: null, heading: 'Subforums', nodes });
}

function forumTable({ category, heading, nodes }: { category: string | null; heading?: string; nodes: ForumNode[] }): HTMLElement {
  const first = category ?? heading ?? 'Forum';
  return h(
    'table',
    { class: heading ? 'list forums subforum-list' : 'list forums', ...(category ? { 'data-category': category } : {}) },
    h('caption', { class: 'visually-hidden' }, category ?? heading ?? 'Forums'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col', class: category ? 'category' : false }, first),
        h('th', { scope: 'col', class: 'num' }, 'Topics'),
        h('th', { scope: 'col', class: 'num' }, 'Posts'),
        h('th', { scope: 'col' }, 'Last post'),
      ),
    ),
    h('tbody', null, nodes.length ? nodes.map(forumRow) : h('tr', null, h('td', { colspan: 4 }, 'There are no forums yet.'))),
  );
}

/** A forum's row: its own and its subforums' counts and newest post, and its subforums linked under its description. */
function forumRow(node: ForumNode): HTMLElement {
  const f = node.forum;
  return h(
    'tr',
    { 'data-forum-id': f.id, class: node.unread ? 'unread' : false },
    h(
      'th',
      { scope: 'row', class: 'title' },
      node.unread ? newBadge() : null,
      h('a', { href: paths.forum(f.id), class: 'forumtitle' }, f.title),
      f.description ? h('p', { class: 'description' }, f.description) : null,
      node.subforums.length ? subforumLinks(node.subforums) : null,
    ),
    h('td', { class: 'num', 'data-label': 'Topics' }, node.topicCount),
    h('td', { class: 'num', 'data-label': 'Posts' }, node.postCount),
    h('td', { class: 'last', 'data-label': 'Last post' }, lastPostCell(node.lastPost)),
  );
}

/** phpBB's "Subforums: A, B", each linked, unread ones marked New. */
function subforumLinks(subforums: ForumNode[]): HTMLElement {
  return h(
    'p',
    { class: 'subforums' },
    h('strong', null, 'Subforums:'),
    ' ',
    subforums.flatMap((sub, i) => [
      i ? ', ' : null,
      h('span', { class: sub.unread ? 'subforum unread' : 'subforum', 'data-subforum-id': sub.forum.id }, sub.unread ? newBadge() : null, h('a', { href: paths.forum(sub.forum.id) }, sub.forum.title)),
    ]),
  );
}

function newBadge(): HTMLElement {
  return h('span', { class: 'badge new', title: 'Unread posts' }, 'New');
}
