import type { QueuedPost } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import { h, replaceChildren, trustedHtml } from '../dom.js';
import { formatDateTime } from '../format.js';
import { paths } from '../router.js';
import { userLink } from './common.js';
import { onSubmit, showFailure } from './submit.js';

export interface QueuedPostActions {
  approve(id: string): Promise<void>;
  /** `tell`: send the author a private message with the reason and their text. */
  reject(id: string, reason: string | undefined, tell: boolean): Promise<void>;
}

/**
 * One post awaiting approval, as a moderator judges it: new topic or reply, where, whose, when,
 * and the post as it would show. Approve, or Reject (a small form under it with an optional
 * reason for the moderation log, and "Tell the author", ticked unless it is spam: a private
 * message to them with the reason and their text; never a dialog). The list drops the item once the store says it
 * left the queue; a refusal (the topic locked since, another moderator approving it) shows here,
 * and the item stays for the moderator to reject instead.
 */
export function queuedPostItem(queued: QueuedPost, forumTitle: string | undefined, actions: QueuedPostActions): HTMLElement {
  const isTopic = queued.kind === 'topic';
  // A reply links to the topic it answers; a new topic has no page yet, so its title is text.
  const subject = !isTopic && queued.topicId ? h('a', { href: paths.topic(queued.topicId), class: 'queued-subject' }, queued.subject) : h('span', { class: 'queued-subject' }, queued.topicTitle);
  const body = h('div', { class: 'content queued-body' });
  trustedHtml(body, queued.bodyHtml); // the server's sanitized HTML, as the post would show
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const approve = h('button', { type: 'button', class: 'button small primary approve' }, 'Approve');
  const reject = h('button', { type: 'button', class: 'button small reject', 'aria-expanded': 'false' }, 'Reject');
  const rejectArea = h('div', { class: 'reject-area' });

  approve.addEventListener('click', async () => {
    approve.disabled = reject.disabled = true;
    error.hidden = true;
    try {
      await actions.approve(queued.id);
    } catch (err) {
      showFailure(error, err, 'The post was not approved');
    } finally {
      approve.disabled = reject.disabled = false;
    }
  });
  reject.addEventListener('click', () => openReject());

  function openReject(): void {
    const id = `reject-reason-${queued.id}`;
    const reason = h('input', { id, name: 'reason', class: 'reject-reason', maxlength: LIMITS.reasonMax, placeholder: 'Shown in the moderation log' });
    const tell = h('input', { id: `reject-tell-${queued.id}`, type: 'checkbox', name: 'tell', class: 'checkbox reject-tell', checked: true });
    const confirm = h('button', { type: 'submit', class: 'button small primary' }, 'Reject post');
    const cancel = h('button', { type: 'button', class: 'button small', onclick: closeReject }, 'Cancel');
    const form = h(
      'form',
      { class: 'reject-form', 'aria-label': `Reject ${queued.subject}` },
      h('label', { for: id }, 'Reason (optional)'),
      h('div', { class: 'reject-row' }, reason, h('label', { class: 'checkbox-label', for: tell.id }, tell, ' Tell the author'), confirm, cancel),
    );
    // The form's failure shows in the item's one alert, as Approve's does.
    onSubmit(form, { button: confirm, error, fallback: 'The post was not rejected' }, () => actions.reject(queued.id, reason.value.trim() || undefined, tell.checked));
    reject.hidden = true;
    reject.setAttribute('aria-expanded', 'true');
    replaceChildren(rejectArea, form);
    reason.focus();
  }

  function closeReject(): void {
    replaceChildren(rejectArea);
    reject.hidden = false;
    reject.setAttribute('aria-expanded', 'false');
    reject.focus();
  }

  return h(
    'li',
    { class: 'queued-post panel', 'data-queued-id': queued.id, 'data-kind': queued.kind, 'data-created-at': queued.createdAt },
    h('h3', { class: 'queued-title' }, h('span', { class: 'badge queued-kind' }, isTopic ? 'New topic' : 'Reply'), ' ', subject),
    h(
      'p',
      { class: 'meta queued-meta' },
      'In ',
      h('a', { href: paths.forum(queued.forumId), class: 'queued-forum' }, forumTitle ?? 'a forum'),
      ' by ',
      userLink(queued.author, { class: 'queued-author' }),
      ' on ',
      h('time', { datetime: queued.createdAt }, formatDateTime(queued.createdAt)),
    ),
    queued.hasPoll ? h('p', { class: 'queued-poll' }, h('span', { class: 'badge poll' }, 'Has a poll')) : null,
    body,
    h('div', { class: 'queued-actions' }, approve, ' ', reject),
    rejectArea,
    error,
  );
}
