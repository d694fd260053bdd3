import type { PresenceDetailEntry } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { formatAgo, formatDateTime } from '../format.js';
import { paths } from '../router.js';
import { userLink } from './common.js';

/** One visitor on the "Who is online" page: who, where, online since, last active. */
export function presenceRow(entry: PresenceDetailEntry, now: number): HTMLElement {
  return h(
    'tr',
    { class: 'presence', 'data-kind': entry.kind, ...(entry.id && { 'data-user-id': entry.id }), ...(entry.hidden && { 'data-hidden': 'true' }) },
    h('td', { class: 'presence-who', 'data-label': 'Username' }, who(entry)),
    h('td', { class: 'presence-where', 'data-label': 'Where' }, where(entry)),
    h('td', { class: 'presence-since', 'data-label': 'Online since' }, h('time', { datetime: entry.since }, formatDateTime(entry.since))),
    h('td', { class: 'presence-active', 'data-label': 'Last active' }, lastActive(entry.lastActive, now)),
  );
}

/** "12 s ago", titled with the exact time; `refreshAgo` keeps it current. */
function lastActive(iso: string, now: number): HTMLElement {
  return h('time', { class: 'ago', datetime: iso, title: formatDateTime(iso) }, formatAgo(iso, now));
}

/** Redraw every "… ago" under `root` as of `now` (the list itself only changes when pushed). */
export function refreshAgo(root: ParentNode, now = Date.now()): void {
  for (const el of root.querySelectorAll<HTMLTimeElement>('time.ago')) el.textContent = formatAgo(el.dateTime, now);
}

/** A member by name (role-coloured, marked if hidden), "Guest", or the bot's name as phpBB shows it. */
function who(entry: PresenceDetailEntry): Array<Node | string> {
  if (entry.kind === 'guest') return [h('span', { class: 'guest' }, 'Guest')];
  if (entry.kind === 'bot') {
    const name = entry.name ?? entry.username ?? 'Unknown';
    return [h('span', { class: 'name role-bot' }, name.endsWith('[Bot]') ? name : `${name} [Bot]`)];
  }
  const name = entry.id && entry.username ? userLink({ id: entry.id, username: entry.username, role: entry.role }, { class: entry.hidden ? 'hidden-user' : '' }) : h('span', null, entry.username ?? 'Member');
  return entry.hidden ? [name, ' ', h('span', { class: 'hidden-mark', title: 'Chose to be hidden: only staff see them' }, '(hidden)')] : [name];
}

/** phpBB's: "Reading topic: <title>" (linked at the page they are on), "Viewing forum: <title>", or the rest of the board. */
function where(entry: PresenceDetailEntry): Array<Node | string> {
  if (entry.topicId) return ['Reading topic: ', h('a', { href: paths.topic(entry.topicId, entry.page ?? 1), class: 'presence-topic' }, entry.topicTitle ?? 'a topic')];
  if (entry.forumId) return ['Viewing forum: ', h('a', { href: paths.forum(entry.forumId), class: 'presence-forum' }, entry.forumTitle ?? 'a forum')];
  return [h('span', { class: 'muted' }, 'Board index / elsewhere')];
}
