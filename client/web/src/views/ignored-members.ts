import type { IgnoreList } from '../live/ignore-list.js';
import { h } from '../dom.js';
import { paths } from '../router.js';
import { memberListPanel } from './member-list-panel.js';

/**
 * The User Control Panel's "Ignored members" (phpBB's foes): each linked to their profile, with
 * Stop ignoring. Follows the list as it changes (another tab, a profile page).
 */
export function ignoredMembers(list: IgnoreList): { el: HTMLElement; dispose(): void } {
  return memberListPanel(list, {
    sectionClass: 'ucp-ignored',
    heading: 'Ignored members',
    headingId: 'ucp-ignored-heading',
    hint: [
      'Their posts are folded away, and they cannot notify you or start a private conversation with you. To ignore someone, open their profile (any name links to it, or the ',
      h('a', { href: paths.members() }, 'member list'),
      ') and choose Ignore this member. Moderators and admins cannot be ignored.',
    ],
    listClass: 'ignored-members',
    emptyClass: 'no-ignored',
    emptyText: 'You are not ignoring anyone.',
    buttonText: 'Stop ignoring',
    buttonClass: 'stop-ignoring',
    buttonLabel: (member) => `Stop ignoring ${member.username}`,
    remove: (userId) => list.unignore(userId),
  });
}
