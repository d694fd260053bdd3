import { attachmentMarkup, ForumError } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h } from '../dom.js';
import { ATTACHMENT_ACCEPT } from '../attachment-types.js';
import { insertAtCaret } from '../insert-at-caret.js';

/**
 * "Attach file" for a message textarea (phpBB's attachments, Discourse's uploads): a file picker,
 * and also an image pasted into the textarea or files dropped on it. Each file is uploaded, one
 * after another, and its markup (`[img]…[/img]`, or a link for a PDF) goes in at the caret. What
 * the server refuses (a type, the size, the quota) shows beside the button, as it says it.
 * Put `el` under the textarea.
 */
export function attachButton(textarea: HTMLTextAreaElement, api: Pick<Api, 'upload'>): { el: HTMLElement } {
  const picker = h('input', { type: 'file', accept: ATTACHMENT_ACCEPT, multiple: true, hidden: true, tabindex: -1 });
  const button = h('button', { type: 'button', class: 'button small attach-file', onclick: () => picker.click() }, 'Attach file');
  const status = h('span', { class: 'attach-status', role: 'status' });
  // In the page only while it has something to say: the form's own error line stays the one alert there.
  const error = h('p', { class: 'form-error attach-error', role: 'alert' });
  const el = h('div', { class: 'attach' }, button, picker, ' ', status);

  /** Uploads run one at a time, in the order chosen; `waiting` counts those not finished. */
  let queue = Promise.resolve();
  let waiting = 0;

  function showStatus(): void {
    status.textContent = waiting === 0 ? '' : waiting === 1 ? 'Uploading…' : `Uploading… (${waiting} files)`;
    el.setAttribute('aria-busy', String(waiting > 0));
  }

  function fail(file: File, err: unknown): void {
    // A network error (a connection cut mid-upload, e.g. a file far over the limit) has no message worth showing.
    const why = err instanceof ForumError ? err.message : 'The file could not be uploaded.';
    if (error.parentNode) error.append(h('br'));
    error.append(`${file.name || 'The file'}: ${why}`);
    el.append(error);
  }

  async function uploadOne(file: File, separate: boolean): Promise<void> {
    try {
      const { attachment } = await api.upload(file, file.name || defaultName(file));
      insertAtCaret(textarea, `${separate ? '\n' : ''}${attachmentMarkup(attachment)}`);
      // Back to writing, unless the member has gone on to another field meanwhile.
      if (document.activeElement === button || document.activeElement === document.body) textarea.focus();
    } catch (err) {
      fail(file, err);
    } finally {
      waiting--;
      showStatus();
    }
  }

  function attach(files: File[]): void {
    if (!files.length) return;
    if (waiting === 0) {
      error.replaceChildren();
      error.remove();
    }
    files.forEach((file, i) => {
      waiting++;
      queue = queue.then(() => uploadOne(file, i > 0));
    });
    showStatus();
  }

  picker.addEventListener('change', () => {
    attach([...(picker.files ?? [])]);
    picker.value = ''; // the same file may be chosen again
  });
  // A pasted image (a screenshot, an image copied in a browser) is uploaded. Clipboard text wins:
  // office programs put a picture of copied cells beside their text, and the text is what is meant.
  textarea.addEventListener('paste', (e) => {
    const data = e.clipboardData;
    if (!data?.files.length || data.getData('text/plain')) return;
    e.preventDefault();
    attach([...data.files]);
  });
  textarea.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault(); // allows the drop (the browser would otherwise open the file)
    e.dataTransfer.dropEffect = 'copy';
  });
  textarea.addEventListener('drop', (e) => {
    if (!e.dataTransfer?.files.length) return;
    e.preventDefault();
    attach([...e.dataTransfer.files]);
  });

  return { el };
}

/** A pasted image has no name of its own (or a generic one): name it by its type. */
function defaultName(file: File): string {
  const ext = file.type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'bin';
  return `pasted.${ext}`;
}
