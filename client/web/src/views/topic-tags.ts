import type { Topic } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { tagBadges } from './tag-badges.js';
import { tagField } from './tag-field.js';
import { onSubmit } from './submit.js';

/** PATCH /topics/:topicId's answer: the topic as changed, and the seq of its `topic:updated`. */
export type TopicChange = { topic: Topic; seq: number };

/**
 * A topic's tags under its title, each linked to the tag's page across the board. For whoever may
 * change them (its author while it is open, a moderator), "Edit tags" opens a small form in place;
 * an empty field removes them. The answer is handed to `changed` (the page applies it as it does
 * the `topic:updated` every other reader gets); a refusal stays in the form, as the server words it.
 */
export function topicTags(api: Api, topicId: string, changed: (answer: TopicChange) => void) {
  const badges = h('div', { class: 'topic-tag-badges' });
  const field = tagField('edit-tags');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'button small primary' }, 'Save tags');
  const cancel = h('button', { type: 'button', class: 'button small', onclick: () => close() }, 'Cancel');
  const edit = h('button', { type: 'button', class: 'button small edit-tags', hidden: true, onclick: () => open() }, 'Edit tags');
  const form = h('form', { class: 'edit-tags-form', 'aria-label': 'Edit tags', hidden: true }, field.label, field.input, field.hint, error, h('div', { class: 'form-actions' }, cancel, ' ', save));
  const el = h('div', { class: 'topic-tags' }, badges, edit, form);
  let topic: Topic | null = null;
  let allowed = false;

  function open(): void {
    field.set(topic?.tags);
    error.hidden = true;
    form.hidden = false;
    edit.hidden = true;
    field.input.focus();
  }

  function close(): void {
    form.hidden = true;
    edit.hidden = !allowed;
    if (allowed) edit.focus();
  }

  onSubmit(form, { button: save, error, fallback: 'The tags were not changed' }, () => {
    const checked = field.read();
    if (!checked.ok) {
      error.textContent = checked.message;
      error.hidden = false;
      return undefined;
    }
    return api.request<TopicChange>('PATCH', `/topics/${encodeURIComponent(topicId)}`, { tags: checked.tags }).then((answer) => {
      changed(answer);
      close();
    });
  });

  return {
    el,
    /** Redraw for the topic as it now stands; `mayEdit`: whether this reader may change its tags now (a lock closes an open form). */
    update(next: Topic, mayEdit: boolean): void {
      topic = next;
      allowed = mayEdit;
      replaceChildren(badges, tagBadges(next.tags));
      if (!mayEdit) form.hidden = true;
      edit.hidden = !mayEdit || !form.hidden;
      el.hidden = !next.tags?.length && !mayEdit;
    },
  };
}
