import type { Forum } from '../../../sdk/index.js';
import type { Session } from '../session.js';
import { h } from '../dom.js';

export const CHECKED_BY_MODERATOR = 'Posts in this forum are checked by a moderator before they appear.';

/**
 * phpBB's note in the New Topic and reply forms of a forum with post approval (`approvePosts`):
 * a member's post there waits for a moderator. Moderators and admins, never held, are not told.
 * Hidden until `show` is given such a forum (the forms are made before their forum is known).
 */
export function approvalNotice(session: Session | null): { el: HTMLElement; show(forum: Forum | undefined): void } {
  const el = h('p', { class: 'notice approval-notice', hidden: true }, CHECKED_BY_MODERATOR);
  return {
    el,
    show(forum) {
      el.hidden = !(forum?.approvePosts && session?.user.role === 'member');
    },
  };
}
