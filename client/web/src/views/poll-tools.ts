import type { Poll } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h } from '../dom.js';
import { confirmButton } from './confirm-button.js';
import { pollFields } from './poll-fields.js';
import { onSubmit, showFailure } from './submit.js';

export interface PollToolsOptions {
  api: Api;
  topicId: string;
  /** The poll this member added (the server's answer, with their own view). */
  added(poll: Poll): void;
  /** This member removed the poll. */
  removed(): void;
}

/**
 * The topic's author's and moderators' poll tools: "Add a poll" (a button opening the poll
 * fields under it) on a topic without one, and "Remove poll" (a second click within five
 * seconds confirms, never a dialog) on a topic with one. `update` says which of them shows.
 */
export function pollTools({ api, topicId, added, removed }: PollToolsOptions) {
  const path = `/topics/${encodeURIComponent(topicId)}/poll`;

  // ----- Add a poll -----
  const fields = pollFields('add-poll');
  const addError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Add poll');
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => closeForm(true) }, 'Cancel');
  const form = h(
    'form',
    { class: 'panel add-poll-form', id: 'add-poll', 'aria-labelledby': 'add-poll-heading', hidden: true },
    h('h2', { id: 'add-poll-heading' }, 'Add a poll'),
    fields.el,
    addError,
    h('div', { class: 'form-actions' }, cancel, ' ', submit),
  );
  const open = h('button', { type: 'button', class: 'button small add-poll', 'aria-expanded': 'false', 'aria-controls': form.id, onclick: () => openForm() }, 'Add a poll');
  const add = h('div', { class: 'poll-add', hidden: true }, open, form);

  function openForm(): void {
    form.hidden = false;
    open.hidden = true;
    open.setAttribute('aria-expanded', 'true');
    fields.focus();
  }
  function closeForm(focusButton: boolean): void {
    form.hidden = true;
    open.hidden = false;
    open.setAttribute('aria-expanded', 'false');
    addError.hidden = true;
    if (focusButton) open.focus();
  }

  onSubmit(form, { button: submit, error: addError, fallback: 'The poll was not added' }, () => {
    const checked = fields.read();
    if (!checked.ok) return void showFailure(addError, new Error(checked.message), '');
    return api.request<{ poll: Poll }>('POST', path, checked.poll).then(({ poll }) => {
      fields.clear();
      closeForm(false);
      added(poll);
    });
  });

  // ----- Remove poll -----
  const removeError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const removeConfirm = confirmButton({ label: 'Remove poll', armedLabel: 'Really remove the poll?', className: 'button small danger remove-poll', onConfirm: removePoll });
  const removeButton = removeConfirm.el;
  const disarm = removeConfirm.disarm;
  const remove = h('div', { class: 'poll-remove', hidden: true }, removeButton, removeError);
  function removePoll(): void {
    removeError.hidden = true;
    removeButton.disabled = true;
    api.request('DELETE', path).then(
      () => {
        removeButton.disabled = false;
        removed();
      },
      (err: unknown) => {
        removeButton.disabled = false;
        showFailure(removeError, err, 'The poll was not removed');
      },
    );
  }

  return {
    /** Goes under the poll area: the Add a poll button and its form. */
    add,
    /** Goes in the poll box. */
    remove,
    update(may: { add: boolean; remove: boolean }): void {
      add.hidden = !may.add;
      if (!may.add) closeForm(false);
      if (remove.hidden !== !may.remove) {
        disarm();
        removeError.hidden = true;
      }
      remove.hidden = !may.remove;
    },
    dispose: disarm,
  };
}
