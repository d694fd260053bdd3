import type { IgnoredMember, IgnoreList } from '../live/ignore-list.js';
import { h } from '../dom.js';
import { onListToggle } from './list-toggle.js';

/**
 * "Ignore this member" / "Stop ignoring" on a member's profile (phpBB's "Add foe"), with what
 * ignoring means once it is on, and the server's refusal (staff, the limit) shown beside it.
 * Follows the list as it changes elsewhere (the User Control Panel, another tab).
 */
export function ignoreButton(list: IgnoreList, member: IgnoredMember): { button: HTMLElement; notes: HTMLElement; dispose(): void } {
  const button = h('button', { type: 'button', class: 'button ignore-member' });
  const state = h('p', { class: 'notice ignore-state', role: 'status', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

  function show(): void {
    const ignoring = list.has(member.id);
    button.textContent = ignoring ? 'Stop ignoring' : 'Ignore this member';
    state.hidden = !ignoring;
    state.textContent = ignoring ? `You are ignoring ${member.username}: their posts are folded away, and they cannot notify you or start a private conversation with you.` : '';
  }

  onListToggle(button, error, () => (list.has(member.id) ? list.unignore(member.id) : list.ignore(member)), show);

  show();
  return { button, notes: h('div', { class: 'ignore-notes' }, state, error), dispose: list.subscribe(show) };
}
