import type { ListedMember, SyncedMemberList } from '../live/member-list.js';
import { h, replaceChildren } from '../dom.js';
import { userLink } from './common.js';
import { showFailure } from './submit.js';

/** What tells one User Control Panel list from another: its words, its classes, and how a member comes off it. */
export interface MemberListPanelParts {
  /** The section's class, beside `panel`. */
  sectionClass: string;
  heading: string;
  headingId: string;
  /** What the list is for and how members get on it. */
  hint: Array<Node | string>;
  listClass: string;
  emptyClass: string;
  emptyText: string;
  /** The button on each row: its text, class and the name it is read out by. */
  buttonText: string;
  buttonClass: string;
  buttonLabel: (member: ListedMember) => string;
  /** Take a member off the list (throws the server's refusal). */
  remove: (userId: string) => Promise<void>;
}

/**
 * One of the User Control Panel's member lists (ignored members, friends): each linked to their
 * profile, with a button that takes them off. Follows the list as it changes (another tab, a
 * profile page).
 */
export function memberListPanel(list: SyncedMemberList, parts: MemberListPanelParts): { el: HTMLElement; dispose(): void } {
  const heading = h('h2', { id: parts.headingId, tabindex: '-1' }, parts.heading);
  const rows = h('ul', { class: `member-list ${parts.listClass}` });
  const empty = h('p', { class: parts.emptyClass }, parts.emptyText);
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const el = h('section', { class: `panel ${parts.sectionClass}`, 'aria-labelledby': heading.id }, heading, h('p', { class: 'hint' }, parts.hint), rows, empty, error);

  async function remove(userId: string, button: HTMLButtonElement): Promise<void> {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    error.hidden = true;
    const at = list.list.findIndex((m) => m.id === userId);
    try {
      await parts.remove(userId);
      // The row is gone: focus moves to the next one (or the one before, or the heading).
      const buttons = rows.querySelectorAll<HTMLElement>('button');
      (buttons[at] ?? buttons[at - 1] ?? heading).focus();
    } catch (err) {
      showFailure(error, err, 'That did not work');
      button.removeAttribute('aria-disabled');
    }
  }

  function render(): void {
    // A redraw keeps focus on the same member's button.
    const focused = (document.activeElement as HTMLElement | null)?.closest?.<HTMLElement>('li[data-user-id]')?.dataset.userId;
    replaceChildren(
      rows,
      list.list.map((member) => {
        const button = h('button', { type: 'button', class: `button small ${parts.buttonClass}`, 'aria-label': parts.buttonLabel(member) }, parts.buttonText);
        button.addEventListener('click', () => void remove(member.id, button));
        return h('li', { 'data-user-id': member.id }, userLink(member), ' ', button);
      }),
    );
    rows.hidden = list.list.length === 0;
    empty.hidden = list.list.length > 0;
    if (focused && rows.isConnected) rows.querySelector<HTMLElement>(`li[data-user-id="${CSS.escape(focused)}"] button`)?.focus();
  }

  render();
  return { el, dispose: list.subscribe(render) };
}
