import { h } from '../dom.js';
import { formatAgo, formatDateTime } from '../format.js';

/**
 * phpBB's "Last active" on a profile: how long ago (the exact time on hover), "never" for a
 * member who has not been here since it was kept; nothing when they hide it from this reader.
 */
export function lastActiveLine(lastActiveAt: string | null | undefined): HTMLElement | null {
  if (lastActiveAt === undefined) return null;
  const when = lastActiveAt === null ? 'never' : h('time', { datetime: lastActiveAt, title: formatDateTime(lastActiveAt) }, formatAgo(lastActiveAt));
  return h('p', { class: 'last-active' }, h('strong', null, 'Last active: '), when);
}
