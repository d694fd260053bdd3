import type { BoardStats, Forum } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { userLink } from './common.js';

/**
 * phpBB's "Statistics" under the board index: total posts and topics (the listed forums' sums,
 * so they move with the live rows), members, the newest member, and the most users ever online.
 * `stats` is null when the server could not say (the totals still show).
 */
export function boardStatsBox(forums: Forum[], stats: BoardStats | null): HTMLElement {
  const posts = forums.reduce((n, f) => n + f.postCount, 0);
  const topics = forums.reduce((n, f) => n + f.topicCount, 0);
  const sep = ' • ';
  return h(
    'aside',
    { class: 'stat-block statistics', 'aria-labelledby': 'statistics-heading' },
    h('h2', { id: 'statistics-heading' }, 'Statistics'),
    h(
      'p',
      { class: 'stat-body board-totals' },
      'Total posts ', h('strong', { 'data-stat': 'posts' }, String(posts)),
      sep, 'Total topics ', h('strong', { 'data-stat': 'topics' }, String(topics)),
      stats ? [sep, 'Total members ', h('strong', { 'data-stat': 'members' }, String(stats.members))] : null,
      stats?.newestMember ? [sep, 'Our newest member ', h('strong', { 'data-stat': 'newest' }, userLink(stats.newestMember))] : null,
    ),
    stats?.mostOnline
      ? h('p', { class: 'stat-body most-online' }, 'Most users ever online was ', h('strong', { 'data-stat': 'most-online' }, String(stats.mostOnline.total)), ' on ', h('time', { datetime: stats.mostOnline.at }, formatDateTime(stats.mostOnline.at)))
      : null,
  );
}
