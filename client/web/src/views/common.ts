import type { PostRef } from '../../../sdk/index.js';
import { ForumError } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { paths } from '../router.js';

/** A member's name, linked to their profile page (coloured by role where the role is known). */
export function userLink(user: { id: string; username: string; role?: string }, attrs: Record<string, string | boolean> = {}): HTMLElement {
  const cls = ['username', user.role ? `role-${user.role}` : '', typeof attrs.class === 'string' ? attrs.class : ''].filter(Boolean).join(' ');
  return h('a', { ...attrs, href: paths.member(user.id), class: cls }, user.username);
}

/** "alice", "alice and bob", "alice, bob and carol", each linked to their profile. */
export function userList(users: Array<{ id: string; username: string; role?: string }>): Array<HTMLElement | string> {
  return users.flatMap((u, i) => [i === 0 ? '' : i === users.length - 1 ? ' and ' : ', ', userLink(u)]).filter((part) => part !== '');
}

/** "subject by alice » date" for a last-post column. */
export function lastPostCell(ref: PostRef | null): HTMLElement {
  if (!ref) return h('span', { class: 'muted' }, 'No posts');
  return h(
    'span',
    { class: 'lastpost' },
    h('a', { href: paths.lastPost(ref.topicId, ref.id), title: 'Go to last post' }, ref.subject),
    h('span', { class: 'by' }, ' by ', h('strong', null, userLink({ id: ref.authorId, username: ref.authorName }))),
    h('time', { datetime: ref.createdAt }, formatDateTime(ref.createdAt)),
  );
}

/** "Mark topics read" / "Mark forums read": sends the mark, then lets the listing fetch itself again. */
export function markReadButton(label: string, mark: () => Promise<unknown>, then: () => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'button small mark-read' }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    mark().then(then, () => (button.disabled = false));
  });
  return button;
}

/** A page-level error, e.g. the topic does not exist. */
export function errorPanel(err: unknown): HTMLElement {
  const notFound = err instanceof ForumError && err.code === 'NOT_FOUND';
  return h(
    'section',
    { class: 'panel error-panel', role: 'alert' },
    h('h1', null, notFound ? 'Not found' : 'Something went wrong'),
    h('p', null, notFound ? 'This page does not exist, or it was removed.' : err instanceof Error ? err.message : 'The server could not be reached.'),
    h('p', null, h('a', { href: paths.board() }, 'Return to the board index')),
  );
}

export const loading = () => h('p', { class: 'loading', role: 'status' }, 'Loading…');
