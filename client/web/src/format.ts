const dateTime = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** "Mon 25 Nov 2024, 01:08" */
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
/** "25 Nov 2024" */
export const formatDate = (iso: string): string => dateOnly.format(new Date(iso));

/** `plural(3, 'post')` -> "3 posts" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "alice", "alice and bob", "alice, bob and carol" */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
