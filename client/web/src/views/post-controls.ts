import type { ShownPost } from '../live/topic-model.js';
import { h } from '../dom.js';
import { showFailure } from './submit.js';
import { confirmButton } from './confirm-button.js';
import { editorPlace, openPostEditor } from './post-editor.js';

/** What the page does for an author (or a moderator) changing a post. */
export interface PostChanges {
  /**
   * `reason`: phpBB's "Reason for edit", when the editor gave one. `editCount`: the post's
   * `editCount` (0 when absent) in the version the editor's text started from; the server
   * refuses (CONFLICT) should the post have been edited since.
   */
  edit(post: ShownPost, body: string, reason?: string, editCount?: number): Promise<void>;
  /** The post as the server has it now (after a refused save, when no live event told of the edit). */
  current?(post: ShownPost): Promise<ShownPost>;
  remove(post: ShownPost): Promise<void>;
  /** @mention suggestions for the editor's textarea (put `el` under it; `close` when the editor goes). */
  suggest?(textarea: HTMLTextAreaElement): { el: HTMLElement; close(): void };
  /** Attach file and Preview for the editor's textarea (put under it). */
  composeTools?(textarea: HTMLTextAreaElement): HTMLElement;
}

/**
 * Edit and Delete for one post. Edit swaps the post's content for the editor (post-editor.ts);
 * Save sends it, and the post is redrawn from the answer (or its live event). Delete asks for a
 * second click within five seconds instead of a dialog; its errors show under the post.
 */
export function postControls(post: ShownPost, content: HTMLElement, changes: PostChanges): { buttons: HTMLElement; error: HTMLElement } {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });

  const editButton = h('button', { type: 'button', class: 'button small edit', 'aria-label': `Edit post #${post.number}`, onclick: () => openPostEditor(post, { content, editButton }, changes) }, 'Edit');

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

  const buttons = h('span', { class: 'post-controls' }, editButton, deleteButton);
  // An editor open on an older drawing of this post moves here (post-editor.ts's carryEditor).
  editorPlace(buttons, { content, editButton });
  return { buttons, error };
}
