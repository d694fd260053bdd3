import type { FriendList } from '../live/friend-list.js';
import { h } from '../dom.js';
import { paths } from '../router.js';
import { memberListPanel } from './member-list-panel.js';

/**
 * The User Control Panel's "Friends" (phpBB's other half of "Friends and Foes"): each linked to
 * their profile, with Remove. Follows the list as it changes (another tab, a profile page).
 */
export function ucpFriends(list: FriendList): { el: HTMLElement; dispose(): void } {
  return memberListPanel(list, {
    sectionClass: 'ucp-friends',
    heading: 'Friends',
    headingId: 'ucp-friends-heading',
    hint: [
      'Your friends are marked in who is online. To add one, open their profile (any name links to it, or the ',
      h('a', { href: paths.members() }, 'member list'),
      ') and choose Add friend. Someone you ignore cannot be your friend.',
    ],
    listClass: 'friends',
    emptyClass: 'no-friends',
    emptyText: 'You have no friends listed.',
    buttonText: 'Remove',
    buttonClass: 'remove-friend',
    buttonLabel: (member) => `Remove ${member.username} from your friends`,
    remove: (userId) => list.unfriend(userId),
  });
}
