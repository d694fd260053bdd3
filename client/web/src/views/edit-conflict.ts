import { h } from '../dom.js';

/**
 * Discourse's edit conflict, said inside an open post editor: someone else saved the post while
 * it was being edited. Two choices: "Load their version" (their text replaces the member's) or
 * the member's own: "Keep mine" when told live, "Save mine anyway" when the server refused the
 * save. Plain text only; the editor decides what each choice does.
 */

/** Told live, at once (the member's text is left as it is): `editor` saved the post meanwhile. */
export function editedMeanwhile(editor: string, choices: { load(): void; keep(): void }): HTMLElement {
  return conflictBox('status', `${editor} edited this post while you were editing.`, choices.load, 'Keep mine', choices.keep);
}

/** Save refused (CONFLICT): the server's words, and the choice again, the second now replacing theirs. */
export function saveRefused(message: string, choices: { load(): void; saveAnyway(): void }): HTMLElement {
  return conflictBox('alert', message, choices.load, 'Save mine anyway', choices.saveAnyway);
}

function conflictBox(role: 'status' | 'alert', text: string, load: () => void, mineLabel: string, mine: () => void): HTMLElement {
  return h(
    'div',
    { class: `notice edit-conflict ${role === 'alert' ? 'refused' : 'meanwhile'}`, role },
    h('p', { class: role === 'alert' ? 'form-error edit-conflict-text' : 'edit-conflict-text' }, text),
    h(
      'p',
      { class: 'edit-conflict-choices' },
      h('button', { type: 'button', class: 'button small load-theirs', onclick: load }, 'Load their version'),
      ' ',
      h('button', { type: 'button', class: 'button small keep-mine', onclick: mine }, mineLabel),
    ),
  );
}
