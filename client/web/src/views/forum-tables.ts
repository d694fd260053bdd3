import type { Forum } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { paths } from '../router.js';
import { lastPostCell } from './common.js';

/** Consecutive forums (in board order) that share a category; forums with none make runs of their own. */
export function categoryRuns(forums: Forum[]): Array<{ category: string | null; forums: Forum[] }> {
  const runs: Array<{ category: string | null; forums: Forum[] }> = [];
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
 * first column; forums without a category under "Forum".
 */
export function forumTables(forums: Forum[]): HTMLElement {
  if (!forums.length) return forumTable(null, []);
  return h('div', { class: 'forum-tables' }, categoryRuns(forums).map((run) => forumTable(run.category, run.forums)));
}

function forumTable(category: string | null, forums: Forum[]): HTMLElement {
  return h(
    'table',
    { class: 'list forums', ...(category ? { 'data-category': category } : {}) },
    h('caption', { class: 'visually-hidden' }, category ?? 'Forums'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col', class: category ? 'category' : false }, category ?? 'Forum'),
        h('th', { scope: 'col', class: 'num' }, 'Topics'),
        h('th', { scope: 'col', class: 'num' }, 'Posts'),
        h('th', { scope: 'col' }, 'Last post'),
      ),
    ),
    h(
      'tbody',
      null,
      forums.length
        ? forums.map((f) =>
            h(
              'tr',
              { 'data-forum-id': f.id, class: f.unread ? 'unread' : false },
              h('th', { scope: 'row', class: 'title' }, f.unread ? h('span', { class: 'badge new', title: 'Unread posts' }, 'New') : null, h('a', { href: paths.forum(f.id), class: 'forumtitle' }, f.title), f.description ? h('p', { class: 'description' }, f.description) : null),
              h('td', { class: 'num', 'data-label': 'Topics' }, f.topicCount),
              h('td', { class: 'num', 'data-label': 'Posts' }, f.postCount),
              h('td', { class: 'last', 'data-label': 'Last post' }, lastPostCell(f.lastPost)),
            ),
          )
        : h('tr', null, h('td', { colspan: 4 }, 'There are no forums yet.')),
    ),
  );
}
