import type { Warning } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Api } from '../api.js';
import { h } from '../dom.js';
import { plural } from '../format.js';
import { onSubmit } from './submit.js';

/** What `POST /users/:userId/warnings` answers. */
export interface Warned {
  warning: Warning;
  /** The member's active warnings, this one included. */
  active: number;
  /** Whether the private message telling them went. */
  told: boolean;
}

export const WARNING_SENT = 'Warning sent.';

/** Warn a member (moderators), for one of their posts when `postId` is given. */
export function sendWarning(api: Api, userId: string, reason: string, postId?: string): Promise<Warned> {
  return api.request<Warned>('POST', `/users/${encodeURIComponent(userId)}/warnings`, { reason, ...(postId && { postId }) });
}

/** Said once a warning is in: sent, how many now count, and if the member could not be told. */
export function warnedNote(result: Warned, username: string): HTMLElement {
  return h(
    'p',
    { class: 'notice warning-sent', role: 'status' },
    WARNING_SENT,
    ` ${username} now has ${plural(result.active, 'active warning')}.`,
    result.told ? null : ` The private message telling ${username} could not be sent.`,
  );
}

/**
 * The reason for a warning and its Warn button (with Cancel when `cancel` is given). An empty
 * reason is not sent; the server's refusal shows in the form. `send` resolves once it is in.
 */
export function warnForm(opts: { id: string; label: string; ariaLabel: string; send(reason: string): Promise<void>; cancel?(): void }): { el: HTMLFormElement; reason: HTMLTextAreaElement } {
  const reason = h('textarea', { id: opts.id, class: 'warn-reason', rows: 3, maxlength: LIMITS.reasonMax, required: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Warn');
  const cancel = opts.cancel ? h('button', { type: 'button', class: 'button', onclick: opts.cancel }, 'Cancel') : null;
  const el = h(
    'form',
    { class: 'warn-form', 'aria-label': opts.ariaLabel },
    h('label', { for: opts.id }, opts.label),
    reason,
    h('p', { class: 'hint' }, 'The member is sent the reason in a private message from you.'),
    error,
    h('div', { class: 'form-actions' }, cancel, cancel ? ' ' : null, submit),
  );
  onSubmit(el, { button: submit, error, fallback: 'The warning was not sent' }, () => {
    const why = reason.value.trim();
    return why ? opts.send(why) : undefined;
  });
  return { el, reason };
}
