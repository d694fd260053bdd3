import type { Friend, FriendList } from '../live/friend-list.js';
import { h } from '../dom.js';
import { onListToggle } from './list-toggle.js';

/**
 * "Add friend" / "Remove friend" on a member's profile (phpBB's wording), with the server's
 * refusal (someone ignored, the limit) shown beside it. Follows the list as it changes elsewhere
 * (the User Control Panel, another tab).
 */
export function friendButton(list: FriendList, member: Friend): { button: HTMLElement; notes: HTMLElement; dispose(): void } {
  const button = h('button', { type: 'button', class: 'button friend-member' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

  function show(): void {
    // The label says what a click does; no aria-pressed beside it, which would say it twice.
    button.textContent = list.has(member.id) ? 'Remove friend' : 'Add friend';
  }

  onListToggle(button, error, () => (list.has(member.id) ? list.unfriend(member.id) : list.befriend(member)), show);

  show();
  return { button, notes: h('div', { class: 'friend-notes' }, error), dispose: list.subscribe(show) };
}
