import type { PrivateMessage } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import { h } from '../dom.js';
import { onSubmit } from './submit.js';
import { confirmButton } from './confirm-button.js';
import { ForumError } from '../../../sdk/index.js';

/** What the page does when the author changes one of their own messages. */
export interface MessageEditing {
  /** Send the new body; the page redraws the message from the answer (which closes the editor). */
  save(message: PrivateMessage, body: string): Promise<void>;
  /** The editor closed without a save: the page may now draw an edit heard meanwhile. */
  closed(message: PrivateMessage): void;
  /** Attach file and Preview for the editor's textarea (put under it). */
  composeTools?(textarea: HTMLTextAreaElement): HTMLElement;
  /** Delete the message; the page redraws it from the answer (a placeholder). */
  remove(message: PrivateMessage): Promise<void>;
}

/**
 * Edit and Delete for one of the member's own messages, as for posts. Edit swaps the message's
 * content for a textarea holding its source, with Save and Cancel. What Save sends is the
 * server's to judge (an empty body is refused there); a refusal shows under the message and
 * changes nothing. Delete asks "Really delete?" on its first click (no dialog) and acts on the second.
 */
export function messageControls(message: PrivateMessage, content: HTMLElement, editing: MessageEditing): { button: HTMLElement; error: HTMLElement } {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

  const edit = h('button', { type: 'button', class: 'button small edit', 'aria-label': `Edit message #${message.number}`, onclick: openEditor }, 'Edit');
  const remove = confirmButton({
    label: 'Delete',
    armedLabel: 'Really delete?',
    className: 'button small delete',
    ariaLabel: `Delete message #${message.number}`,
    onConfirm: () => {
      error.hidden = true;
      editing.remove(message).catch((err: unknown) => {
        error.textContent = err instanceof ForumError ? err.message : 'The message was not deleted';
        error.hidden = false;
      });
    },
  });
  const button = h('span', { class: 'message-buttons' }, edit, ' ', remove.el);
  function openEditor(): void {
    const textarea = h('textarea', { class: 'edit-body', rows: 6, maxlength: LIMITS.bodyMax, 'aria-label': 'Edit message' });
    textarea.value = message.body;
    const save = h('button', { type: 'submit', class: 'button primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'button', onclick: close }, 'Cancel');
    const form = h('form', { class: 'edit-form' }, textarea, editing.composeTools?.(textarea) ?? null, h('div', { class: 'form-actions' }, cancel, ' ', save));
    function close(): void {
      form.replaceWith(content);
      button.hidden = false;
      error.hidden = true;
      editing.closed(message);
    }
    onSubmit(form, { button: save, error, fallback: 'Your edit was not saved' }, () => editing.save(message, textarea.value));
    button.hidden = true;
    content.replaceWith(form);
    textarea.focus();
  }

  return { button, error };
}
