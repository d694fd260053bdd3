import type { UserCard } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { formatDate } from '../format.js';
import { orderOf, sortedBy, type MembersRequest, type MemberSort } from '../members-query.js';
import { paths } from '../router.js';
import { userLink } from './common.js';

const COLUMNS: Array<{ label: string; sort?: MemberSort; num?: boolean }> = [
  { label: 'Username', sort: 'name' },
  { label: 'Rank' },
  { label: 'Posts', sort: 'posts', num: true },
  { label: 'Joined', sort: 'joined' },
  { label: 'Thanks received', sort: 'thanks', num: true },
  { label: 'Location' },
];

/**
 * phpBB's memberlist table: name (linked to the profile), rank, posts, joined, thanks received and
 * location. The sortable headings are links to the list sorted by them; the current one says
 * which way round it is and turns it round.
 */
export function membersTable(members: UserCard[], request: MembersRequest): HTMLElement {
  return h(
    'table',
    { class: 'list members' },
    h('caption', { class: 'visually-hidden' }, request.filter === 'team' ? 'The team' : 'Members'),
    h('thead', null, h('tr', null, COLUMNS.map((c) => heading(c, request)))),
    h(
      'tbody',
      null,
      members.length
        ? members.map(row)
        : h('tr', { class: 'no-members' }, h('td', { colspan: COLUMNS.length }, 'No members found for this search criterion.')),
    ),
  );
}

function heading(column: (typeof COLUMNS)[number], request: MembersRequest): HTMLElement {
  const cls = column.num ? 'num' : false;
  if (!column.sort) return h('th', { scope: 'col', class: cls }, column.label);
  const current = column.sort === request.sort;
  const order = current ? orderOf(request) : null;
  return h(
    'th',
    { scope: 'col', class: cls, 'aria-sort': order === 'asc' ? 'ascending' : order === 'desc' ? 'descending' : false, 'data-sort': column.sort },
    h(
      'a',
      { href: paths.members(sortedBy(request, column.sort)), class: current ? 'sort current' : 'sort' },
      column.label,
      order ? h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, order === 'asc' ? ' ▲' : ' ▼') : null,
    ),
  );
}

function row(user: UserCard): HTMLElement {
  return h(
    'tr',
    { 'data-user-id': user.id },
    h('th', { scope: 'row', class: 'member-name' }, userLink(user)),
    h('td', { class: 'member-rank', 'data-label': 'Rank' }, user.rank),
    h('td', { class: 'num member-posts', 'data-label': 'Posts' }, user.postCount),
    h('td', { class: 'member-joined', 'data-label': 'Joined' }, h('time', { datetime: user.joinedAt }, formatDate(user.joinedAt))),
    h('td', { class: 'num member-thanks', 'data-label': 'Thanks received' }, user.thanksReceived),
    h('td', { class: 'member-location', 'data-label': 'Location' }, user.location ?? ''),
  );
}
