import { LIMITS } from '../../../../shared/limits.js';
import type { ShownPost } from '../live/topic-model.js';
import { h, replaceChildren } from '../dom.js';
import { onSubmit } from './submit.js';
import { carryParts, postHeadForm } from './post-head-form.js';

/** Said in place of the form once the report is in. */
export const REPORTED = 'Reported: thank you; a moderator will look at it.';

/**
 * phpBB's "Report this post": a Report button for the post's head, and the small form it opens
 * under the post (why, Send, Cancel; never a dialog). Once sent, the form gives way to a thank-you;
 * a refusal (e.g. too many reports) shows in the form. Reporting again while the report is open
 * only updates its reason.
 */
export function reportControl(post: ShownPost, send: (post: ShownPost, reason: string) => Promise<void>): { button: HTMLElement; area: HTMLElement } {
  const area = h('div', { class: 'report-area' });
  const button = h('button', { type: 'button', class: 'button small report', 'aria-label': `Report post #${post.number}`, 'aria-expanded': 'false', onclick: open }, 'Report');
  const panel = postHeadForm(button, area);
  const close = panel.close;

  function open(): void {
    const id = `report-reason-${post.id}`;
    const reason = h('textarea', { id, class: 'report-reason', rows: 3, maxlength: LIMITS.reasonMax, required: true });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const sendButton = h('button', { type: 'submit', class: 'button primary' }, 'Send');
    const cancel = h('button', { type: 'button', class: 'button', onclick: () => close(true) }, 'Cancel');
    const form = h(
      'form',
      { class: 'panel report-form', 'aria-label': `Report post #${post.number}` },
      h('label', { for: id }, 'Why should a moderator look at this post?'),
      reason,
      error,
      h('div', { class: 'form-actions' }, cancel, ' ', sendButton),
    );
    onSubmit(form, { button: sendButton, error, fallback: 'Your report was not sent' }, () => {
      const why = reason.value.trim();
      if (!why) return undefined;
      return send(post, why).then(() => {
        close(false);
        replaceChildren(area, h('p', { class: 'notice report-done', role: 'status' }, REPORTED));
      });
    });
    panel.show(form, reason);
  }

  return { button, area };
}

/**
 * A post redrawn (an edit, live) keeps its Report button and form as they were: what the reader
 * is typing, or the thank-you, stays.
 */
export function carryReport(from: HTMLElement, to: HTMLElement): void {
  carryParts(from, to, ['.post-head .report', '.report-area']);
}
