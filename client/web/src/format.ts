const dateTime = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** "Mon 25 Nov 2024, 01:08" */
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
/** "25 Nov 2024" */
export const formatDate = (iso: string): string => dateOnly.format(new Date(iso));

/** How long ago `iso` was, as of `now`: "just now", "12 s ago", "5 min ago", "3 h ago", "2 days ago" (a clock ahead of ours reads "just now"). */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.floor((now - Date.parse(iso)) / 1000);
  if (!(seconds >= 1)) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${plural(Math.floor(seconds / 86_400), 'day')} ago`;
}

/** `plural(3, 'post')` -> "3 posts" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "alice", "alice and bob", "alice, bob and carol" */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export { formatBytes } from '../../../shared/format-bytes.js';
