import type { Bookmark } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { onSubmit } from './submit.js';

/**
 * A bookmark's note on the Bookmarks page (phpBB keeps none; Discourse's bookmarks have a name):
 * shown, with "Edit note" ("Add note" when there is none) opening a one-line form in its place.
 * Save sends it as the server takes it (an empty note clears it) and shows what it answers;
 * a refusal stays under the form.
 */
export function bookmarkNote(api: Pick<Api, 'request'>, postId: string, subject: string, note: string | undefined): HTMLElement {
  const el = h('div', { class: 'bookmark-note-area' });
  let current = note;

  function show(): void {
    const edit = h('button', { type: 'button', class: 'button small edit-note', 'aria-label': `${current ? 'Edit the note' : 'Add a note'} on “${subject}”`, onclick: openForm }, current ? 'Edit note' : 'Add note');
    replaceChildren(el, current ? h('p', { class: 'bookmark-note' }, h('strong', null, 'Note: '), current) : null, edit);
  }

  function openForm(): void {
    const input = h('input', { type: 'text', class: 'note-input', maxlength: LIMITS.bookmarkNoteMax, 'aria-label': `Note on “${subject}”` });
    input.value = current ?? '';
    const save = h('button', { type: 'submit', class: 'button small primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'button small', onclick: show }, 'Cancel');
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = h('form', { class: 'note-form' }, input, ' ', save, ' ', cancel, error);
    onSubmit(form, { button: save, error, fallback: 'The note was not saved' }, async () => {
      const answer = await api.request<{ bookmark: Bookmark }>('PUT', `/posts/${encodeURIComponent(postId)}/bookmark`, { note: input.value.trim() || null });
      current = answer.bookmark.note;
      show();
      el.querySelector<HTMLButtonElement>('button.edit-note')?.focus();
    });
    replaceChildren(el, form);
    input.focus();
  }

  show();
  return el;
}
