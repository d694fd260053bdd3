import type { IgnoreList } from '../live/ignore-list.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { userLink } from './common.js';
import { showFailure } from './submit.js';

/**
 * The User Control Panel's "Ignored members" (phpBB's foes): each linked to their profile, with
 * Stop ignoring. Follows the list as it changes (another tab, a profile page).
 */
export function ignoredMembers(list: IgnoreList): { el: HTMLElement; dispose(): void } {
  const heading = h('h2', { id: 'ucp-ignored-heading', tabindex: '-1' }, 'Ignored members');
  const rows = h('ul', { class: 'ignored-members' });
  const empty = h('p', { class: 'no-ignored' }, 'You are not ignoring anyone.');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const el = h(
    'section',
    { class: 'panel ucp-ignored', 'aria-labelledby': heading.id },
    heading,
    h(
      'p',
      { class: 'hint' },
      'Their posts are folded away, and they cannot notify you or start a private conversation with you. To ignore someone, open their profile (any name links to it, or the ',
      h('a', { href: paths.members() }, 'member list'),
      ') and choose Ignore this member. Moderators and admins cannot be ignored.',
    ),
    rows,
    empty,
    error,
  );

  async function stop(userId: string, button: HTMLButtonElement): Promise<void> {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    error.hidden = true;
    const at = list.list.findIndex((m) => m.id === userId);
    try {
      await list.unignore(userId);
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
        const button = h('button', { type: 'button', class: 'button small stop-ignoring', 'aria-label': `Stop ignoring ${member.username}` }, 'Stop ignoring');
        button.addEventListener('click', () => void stop(member.id, button));
        return h('li', { 'data-user-id': member.id }, userLink(member), ' ', button);
      }),
    );
    rows.hidden = list.list.length === 0;
    empty.hidden = list.list.length > 0;
    if (focused && el.isConnected) rows.querySelector<HTMLElement>(`li[data-user-id="${CSS.escape(focused)}"] button`)?.focus();
  }

  render();
  return { el, dispose: list.subscribe(render) };
}
