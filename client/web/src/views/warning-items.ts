import type { Warning } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { formatDate, formatDateTime } from '../format.js';
import { paths } from '../router.js';
import { userLink } from './common.js';

/** Whether a warning still counts (its `expiresAt` is in the future). */
export const isActive = (warning: Warning, now = Date.now()): boolean => Date.parse(warning.expiresAt) > now;

/** The id of a warning's reason in the list (a button about the warning is described by it). */
export const warningReasonId = (warning: Warning): string => `warning-${warning.id}-reason`;

/**
 * A member's warnings, newest first, as a list: when, the reason, the post it was for (linked),
 * until when it counts or "expired". `moderator`: name who gave each (moderators' view).
 * `extra` adds to a row (the moderators' Remove).
 */
export function warningItems(warnings: Warning[], opts: { moderator: boolean; extra?: (warning: Warning) => Node | null }): HTMLElement {
  const now = Date.now();
  return h(
    'ul',
    { class: 'warnings' },
    warnings.map((w) => {
      const active = isActive(w, now);
      return h(
        'li',
        { class: `warning ${active ? 'active' : 'expired'}`, 'data-warning-id': w.id },
        h(
          'p',
          { class: 'meta warning-meta' },
          h('time', { datetime: w.createdAt }, formatDateTime(w.createdAt)),
          opts.moderator ? [' by ', userLink(w.moderator)] : null,
          w.post ? [' for the post ', h('a', { href: paths.post(w.post.topicId, w.post.id), class: 'warning-post' }, `“${w.post.subject}”`)] : null,
          ' ',
          active
            ? h('span', { class: 'warning-until' }, 'until ', h('time', { datetime: w.expiresAt }, formatDate(w.expiresAt)))
            : h('span', { class: 'badge warning-expired' }, 'expired'),
        ),
        h('p', { class: 'warning-reason', id: warningReasonId(w) }, w.reason),
        opts.extra?.(w) ?? null,
      );
    }),
  );
}
