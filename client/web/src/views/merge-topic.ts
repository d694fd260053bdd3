import type { Topic } from '../../../sdk/index.js';
import type { WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';
import { topicIdFrom } from '../topic-ref.js';
import { confirmButton } from './confirm-button.js';
import { showFailure } from './submit.js';

/**
 * phpBB's "Merge topic", in the moderator tools: every post of this topic, the opening one too,
 * goes to the end of the topic named (by its id or its address), and this one is deleted. It
 * cannot be undone, so it asks for a second click. `reason` is the tools' shared reason field.
 * The page then says where the topic went through its live events, as every reader sees it.
 */
export function mergeTopic(ctx: WebContext, topicId: string, reason: HTMLInputElement) {
  const into = h('input', { id: 'merge-into', name: 'intoTopic', required: true, placeholder: 'Topic id, or its address (/t/…)' });
  const status = h('p', { class: 'notice merge-status', role: 'status', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

  async function merge(): Promise<void> {
    status.hidden = true;
    error.hidden = true;
    const intoTopicId = topicIdFrom(into.value);
    if (!intoTopicId) return showFailure(error, new Error('Name the topic by its id or its address (/t/…).'), '');
    const why = reason.value.trim();
    try {
      const done = await ctx.api.request<{ topic: Topic; moved: number }>('POST', `/topics/${encodeURIComponent(topicId)}/merge`, { intoTopicId, ...(why && { reason: why }) });
      reason.value = '';
      into.value = '';
      replaceChildren(status, 'Topic merged into ', h('a', { href: paths.topic(done.topic.id) }, done.topic.title), '.');
      status.hidden = false;
    } catch (err) {
      showFailure(error, err, 'The topic was not merged');
    }
  }

  const button = confirmButton({ label: 'Merge topic', armedLabel: 'Really merge?', className: 'button small danger', onConfirm: () => void merge() });
  // Enter in the field does not merge: only the button's second click does.
  const form = h('form', { class: 'mod-merge', 'aria-label': 'Merge topic', onsubmit: (event) => event.preventDefault() }, h('label', { for: into.id }, 'Merge this topic into'), into, button.el);
  const note = h('p', { class: 'muted' }, 'Every post, the first one too, goes to the end of that topic; this topic is then deleted.');
  const el = h('fieldset', { class: 'mod-topic-merge' }, h('legend', null, 'Merge topic'), form, note, status, error);

  return {
    el,
    /** A deleted topic has nothing left to merge (its outcome, if it was merged, stays shown). */
    update(topic: Topic): void {
      form.hidden = note.hidden = !!topic.deleted;
    },
  };
}
