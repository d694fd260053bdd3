import { LIMITS } from '../../../../shared/limits.js';
import type { ShownPost } from '../live/topic-model.js';
import { h } from '../dom.js';
import { onSubmit, showFailure } from './submit.js';
import { confirmButton } from './confirm-button.js';

/** What the page does for an author (or a moderator) changing a post. */
export interface PostChanges {
  /** `reason`: phpBB's "Reason for edit", when the editor gave one. */
  edit(post: ShownPost, body: string, reason?: string): Promise<void>;
  remove(post: ShownPost): Promise<void>;
  /** @mention suggestions for the editor's textarea (put `el` under it; `close` when the editor goes). */
  suggest?(textarea: HTMLTextAreaElement): { el: HTMLElement; close(): void };
  /** Attach file and Preview for the editor's textarea (put under it). */
  composeTools?(textarea: HTMLTextAreaElement): HTMLElement;
}

/**
 * Edit and Delete for one post. Edit swaps the post's content for a textarea holding its
 * source; Save sends it, and the post is redrawn from the answer (or its live event). Delete
 * asks for a second click within five seconds instead of a dialog. Errors show under the post.
 */
export function postControls(post: ShownPost, content: HTMLElement, changes: PostChanges): { buttons: HTMLElement; error: HTMLElement } {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

  const editButton = h('button', { type: 'button', class: 'button small edit', 'aria-label': `Edit post #${post.number}`, onclick: openEditor }, 'Edit');
  function openEditor(): void {
    const textarea = h('textarea', { class: 'edit-body', rows: 8, maxlength: LIMITS.bodyMax, 'aria-label': 'Edit message' });
    textarea.value = post.body;
    const save = h('button', { type: 'submit', class: 'button primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'button', onclick: close }, 'Cancel');
    // Starts empty each time, as phpBB's: a reason is the edit's own.
    const reason = h('input', { type: 'text', class: 'edit-reason', maxlength: LIMITS.editReasonMax, 'aria-label': 'Reason for editing (optional)', placeholder: 'Reason for editing (optional)' });
    const suggestions = changes.suggest?.(textarea);
    const field = suggestions ? h('div', { class: 'name-suggest' }, textarea, suggestions.el) : textarea;
    const form = h('form', { class: 'edit-form' }, field, changes.composeTools?.(textarea) ?? null, h('div', { class: 'form-actions' }, reason, ' ', cancel, ' ', save));
    function close(): void {
      suggestions?.close();
      form.replaceWith(content);
      editButton.hidden = false;
    }
    onSubmit(form, { button: save, error, fallback: 'Your edit was not saved' }, () => {
      const body = textarea.value.trim();
      if (!body) return undefined;
      // The post is redrawn from the answer, editor and all; close it should it still be here.
      return changes.edit(post, body, reason.value.trim() || undefined).then(() => void (form.isConnected && close()));
    });
    editButton.hidden = true;
    content.replaceWith(form);
    textarea.focus();
  }

  const deleteButton = confirmButton({
    label: 'Delete',
    armedLabel: 'Really delete?',
    className: 'button small delete',
    ariaLabel: `Delete post #${post.number}`,
    onConfirm: () => {
      error.hidden = true;
      changes.remove(post).catch((err: unknown) => showFailure(error, err, 'The post was not deleted'));
    },
  }).el;

  return { buttons: h('span', { class: 'post-controls' }, editButton, deleteButton), error };
}
