import { LIMITS } from '../../../../shared/limits.js';
import { ForumError } from '../../../sdk/index.js';
import type { ShownPost } from '../live/topic-model.js';
import { h, replaceChildren } from '../dom.js';
import { onSubmit, showFailure } from './submit.js';
import { editedMeanwhile, saveRefused } from './edit-conflict.js';
import type { PostChanges } from './post-controls.js';

/** Where an editor stands in one drawing of its post: it takes the content's place, and hides the Edit button. */
export interface EditorPlace {
  content: HTMLElement;
  editButton: HTMLElement;
}

interface OpenEditor {
  /** The post was drawn again (`post` is its new version): the editor, text and all, moves to the new drawing. */
  moveTo(place: EditorPlace, post: ShownPost): void;
}
type EditorForm = HTMLFormElement & { editor?: OpenEditor };
type PlaceHolder = HTMLElement & { editorPlace?: EditorPlace };

const editCountOf = (post: ShownPost): number => post.editCount ?? 0;

/** Mark a drawing's post controls as where an open editor can move to (see `carryEditor`). */
export function editorPlace(controls: HTMLElement, place: EditorPlace): void {
  (controls as PlaceHolder).editorPlace = place;
}

/**
 * The post editor: a textarea with the post's source in place of its content, a reason, Cancel
 * and Save. Save sends the `editCount` of the version the text started from, so an edit someone
 * saved meanwhile is not overwritten unknowingly. Someone else's edit arriving live is said at
 * once (the member's text untouched); a save the server refuses as a conflict says so with the
 * same choices. The editor outlives the post being drawn again (`carryEditor`).
 */
export function openPostEditor(post: ShownPost, start: EditorPlace, changes: PostChanges): void {
  let here = start;
  /** The version the text started from (or their version, once loaded): Save sends its editCount. */
  let base = editCountOf(post);
  /** The newest version of the post this page has seen (live, or fetched after a refusal). */
  let latest = post;
  /** The newest edit already told of: a notice is not shown twice for the same edit. */
  let told = base;
  let saving = false;
  /** A refused save is showing its choices: a live edit then only updates what they load or replace. */
  let refusal = false;
  let closed = false;

  const textarea = h('textarea', { class: 'edit-body', rows: 8, maxlength: LIMITS.bodyMax, 'aria-label': 'Edit message' });
  textarea.value = post.body;
  const save = h('button', { type: 'submit', class: 'button primary' }, 'Save');
  const cancel = h('button', { type: 'button', class: 'button', onclick: close }, 'Cancel');
  // Starts empty each time, as phpBB's: a reason is the edit's own.
  const reason = h('input', { type: 'text', class: 'edit-reason', maxlength: LIMITS.editReasonMax, 'aria-label': 'Reason for editing (optional)', placeholder: 'Reason for editing (optional)' });
  const suggestions = changes.suggest?.(textarea);
  const field = suggestions ? h('div', { class: 'name-suggest' }, textarea, suggestions.el) : textarea;
  /** An edit conflict: the live notice, or a refused save, each with its two choices. */
  const conflict = h('div', { class: 'edit-conflict-area' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form: EditorForm = h(
    'form',
    { class: 'edit-form' },
    field,
    changes.composeTools?.(textarea) ?? null,
    conflict,
    error,
    h('div', { class: 'form-actions' }, reason, ' ', cancel, ' ', save),
  );

  function close(): void {
    closed = true;
    suggestions?.close();
    form.replaceWith(here.content);
    here.editButton.hidden = false;
  }

  /** Someone else's edit came (and is not yet told of): say so, unless a save is on its way or refused. */
  function tell(): void {
    if (closed || saving || refusal || editCountOf(latest) <= Math.max(base, told)) return;
    told = editCountOf(latest);
    replaceChildren(conflict, editedMeanwhile(latest.editedBy?.username ?? 'Someone', { load: () => void choose(loadTheirs), keep: keepMine }));
  }

  function refused(message: string): void {
    refusal = true;
    told = Math.max(told, editCountOf(latest));
    replaceChildren(conflict, saveRefused(message, { load: () => void choose(loadTheirs), saveAnyway: () => void choose(saveAnyway) }));
  }

  /** Their version: the newest seen live when it is newer than the base, else the server's (the live event was missed). */
  async function theirs(): Promise<ShownPost> {
    if (editCountOf(latest) > base || !changes.current) return latest;
    const fetched = await changes.current(latest);
    if (editCountOf(fetched) > editCountOf(latest)) latest = fetched;
    return latest;
  }

  /** A choice on their version: it becomes the base, and the notice goes. */
  async function choose(then: (current: ShownPost) => void): Promise<void> {
    error.hidden = true;
    let current: ShownPost;
    try {
      current = await theirs();
    } catch (err) {
      return showFailure(error, err, 'Their version could not be loaded');
    }
    if (closed) return;
    refusal = false;
    base = editCountOf(current);
    told = Math.max(told, base);
    replaceChildren(conflict);
    then(current);
  }

  function loadTheirs(current: ShownPost): void {
    textarea.value = current.body;
    textarea.dispatchEvent(new Event('input', { bubbles: true })); // an open preview follows, as with typing
    textarea.focus();
  }

  /** Sent again from their version: knowingly replacing it. */
  function saveAnyway(): void {
    form.requestSubmit(save);
  }

  /** "Keep mine": the notice goes; the base stays, so a Save that still conflicts is refused. */
  function keepMine(): void {
    replaceChildren(conflict);
    textarea.focus();
  }

  onSubmit(form, { button: save, error, fallback: 'Your edit was not saved' }, () => {
    const body = textarea.value.trim();
    if (!body) return undefined;
    replaceChildren(conflict);
    refusal = false;
    saving = true;
    return (
      changes
        .edit(latest, body, reason.value.trim() || undefined, base)
        // The post is redrawn from the answer, the editor carried along; then it closes.
        .then(
          () => void (form.isConnected && close()),
          (err: unknown) => {
            if (err instanceof ForumError && err.code === 'CONFLICT') return refused(err.message);
            throw err;
          },
        )
        .finally(() => {
          saving = false;
          tell();
        })
    );
  });

  form.editor = {
    moveTo(place, next) {
      here = place;
      place.content.replaceWith(form);
      place.editButton.hidden = true;
      if (editCountOf(next) < editCountOf(latest)) return;
      latest = next;
      tell();
    },
  };
  here.editButton.hidden = true;
  here.content.replaceWith(form);
  textarea.focus();
}

/**
 * A post drawn again (an edit, live) keeps its open editor: the form, with the member's text,
 * reason and caret, moves into the new drawing, and hears of the new version (someone else's
 * edit is then told of). A drawing without Edit (folded away) drops it.
 */
export function carryEditor(from: HTMLElement, to: HTMLElement, post: ShownPost): void {
  const editor = from.querySelector<EditorForm>('form.edit-form')?.editor;
  const place = to.querySelector<PlaceHolder>('.post-controls')?.editorPlace;
  if (editor && place) editor.moveTo(place, post);
}
