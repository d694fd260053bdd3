import { ForumError } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h, trustedHtml } from '../dom.js';

/** How long typing must pause before an open preview is asked for again. */
const REFRESH_MS = 500;

/** Each panel's id must be unique in the page (a topic may hold the reply form and an editor). */
let panels = 0;

/**
 * phpBB's Preview for a message textarea: the server renders the text (Markdown, BBCode,
 * sanitized; the client has no renderer of its own) exactly as a post would show it, and the
 * panel shows it like a post's body. While the panel is open, it follows the typing; sending
 * the form closes and empties it. What the server refuses (an empty body) shows instead.
 * `el` holds the button and the panel (styled so the panel takes a line of its own): put it
 * under the textarea.
 */
export function previewButton(textarea: HTMLTextAreaElement, api: Pick<Api, 'request'>): { el: HTMLElement; /** Close and empty the panel (a form's Cancel, which throws the text away). */ close(): void } {
  const id = `preview-${++panels}`;
  const heading = h('h3', { id: `${id}-heading`, class: 'preview-heading' }, 'Preview');
  // `content`, as post-view.ts draws a post's body, so the preview takes the posts' styles.
  const body = h('div', { class: 'content', hidden: true });
  // In the panel only while it has something to say (as attach-button.ts's): the form's own error line stays the one `.form-error` there.
  const error = h('p', { class: 'form-error preview-error', role: 'alert' });
  const close = h('button', { type: 'button', class: 'button small preview-close', onclick: () => hide(true) }, 'Close preview');
  const panel = h('section', { class: 'preview', id, 'aria-labelledby': heading.id, hidden: true }, heading, body, h('div', { class: 'preview-actions' }, close));
  const button = h('button', { type: 'button', class: 'button small preview-button', 'aria-expanded': 'false', 'aria-controls': id, onclick: show }, 'Preview');

  /** Bumped by each request and by hiding: only the answer to the latest request may be shown. */
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The form whose submit hides the panel (the textarea is put in its form after this runs). */
  let watched: HTMLFormElement | null = null;

  function setShown(shown: boolean): void {
    panel.hidden = !shown;
    button.setAttribute('aria-expanded', String(shown));
  }

  function refresh(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (panel.hidden || !textarea.isConnected) return; // closed, or its editor is gone
    const mine = ++latest;
    panel.setAttribute('aria-busy', 'true');
    // The text as typed: the server trims it as it trims a post's body.
    api.request<{ bodyHtml: string }>('POST', '/preview', { body: textarea.value }).then(
      (answer) => {
        if (mine !== latest) return; // an older text's answer, come late
        trustedHtml(body, answer.bodyHtml); // the server's sanitized HTML, as a post's
        body.hidden = false;
        error.remove();
        panel.removeAttribute('aria-busy');
      },
      (err: unknown) => {
        if (mine !== latest) return;
        // A refusal replaces the preview: what is shown is never an older text's.
        body.replaceChildren();
        body.hidden = true;
        error.textContent = err instanceof ForumError ? err.message : 'The preview could not be loaded.';
        body.after(error);
        panel.removeAttribute('aria-busy');
      },
    );
  }

  function show(): void {
    const form = textarea.form;
    if (form && form !== watched) {
      // A sent message must leave no preview behind (nor one of its text under the next).
      form.addEventListener('submit', () => hide(false));
      watched = form;
    }
    setShown(true);
    refresh();
  }

  /** Hide and empty the panel; answers still on their way are dropped. */
  function hide(refocus: boolean): void {
    if (timer) clearTimeout(timer);
    timer = null;
    latest++;
    setShown(false);
    body.replaceChildren();
    body.hidden = true;
    error.remove();
    panel.removeAttribute('aria-busy');
    // Close preview leaves with the panel: focus goes back to what opens it.
    if (refocus) button.focus();
  }

  textarea.addEventListener('input', () => {
    if (panel.hidden) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, REFRESH_MS);
  });

  return { el: h('div', { class: 'preview-tool' }, button, panel), close: () => hide(false) };
}
