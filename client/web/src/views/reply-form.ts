import { LIMITS } from '../../../../shared/limits.js';
import { h } from '../dom.js';
import { onSubmit } from './submit.js';
import { keepDraft } from '../drafts.js';
import type { Api } from '../api.js';
import { mentionSuggestions } from './mention-suggestions.js';
import { composeTools } from './compose-tools.js';

/** Re-announce "typing" at most this often while keys are pressed; "stopped" after this much quiet. */
const TYPING_REFRESH_MS = 3000;
const TYPING_IDLE_MS = 4000;

export interface ReplyFormOptions {
  /** Where the unsent text is kept (see drafts.ts): one per topic (or conversation). */
  draftKey: string;
  /** REST as the member writing: @mention suggestions ask it for names; attachments are uploaded and previews rendered with it. */
  api: Api;
  send(body: string): Promise<void>;
  /** Told when the member starts and stops writing (topics show it; private messages leave it out). */
  typing?(typing: boolean): void;
  /** The form's heading: "Post a reply" unless told. */
  heading?: string;
  /** Said under the heading when shown (e.g. that posts here wait for a moderator: approval-notice.ts). */
  notice?: HTMLElement;
}

/** A post quoted phpBB-style, as the renderer reads it back: `[quote="alice"]…[/quote]`. */
export function quoteOf(author: string, body: string): string {
  return `[quote="${author}"]\n${body.trim()}\n[/quote]\n`;
}

/** The quick-reply form at the bottom of a topic (or a private conversation); reports typing while the member writes. */
export function replyForm({ draftKey, api, send, typing = () => {}, heading = 'Post a reply', notice }: ReplyFormOptions): { el: HTMLElement; dispose(): void; quote(author: string, body: string): void } {
  const textarea = h('textarea', { id: 'reply-body', name: 'body', rows: 6, maxlength: LIMITS.bodyMax, required: true, 'aria-describedby': 'reply-hint' });
  const mentions = mentionSuggestions(textarea, api);
  const tools = composeTools(textarea, api);
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Submit');
  const form = h(
    'form',
    { class: 'reply-form panel', id: 'reply', 'aria-labelledby': 'reply-heading' },
    h('h2', { id: 'reply-heading' }, heading),
    notice ?? null,
    h('label', { for: 'reply-body' }, 'Message'),
    h('div', { class: 'name-suggest' }, textarea, mentions.el),
    tools.el,
    h('p', { id: 'reply-hint', class: 'hint' }, 'BBCode and Markdown both work.'),
    error,
    h('div', { class: 'form-actions' }, submit),
  );

  const draft = keepDraft(textarea, draftKey);
  let typingSentAt = 0;
  let idle: ReturnType<typeof setTimeout> | null = null;
  function stopTyping(): void {
    if (idle) clearTimeout(idle);
    idle = null;
    if (typingSentAt) typing(false);
    typingSentAt = 0;
  }
  textarea.addEventListener('input', () => {
    if (!textarea.value.trim()) return stopTyping();
    if (Date.now() - typingSentAt > TYPING_REFRESH_MS) {
      typingSentAt = Date.now();
      typing(true);
    }
    if (idle) clearTimeout(idle);
    idle = setTimeout(stopTyping, TYPING_IDLE_MS);
  });
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });

  onSubmit(form, { button: submit, error, fallback: 'Your reply was not sent' }, () => {
    const body = textarea.value.trim();
    if (!body) return undefined;
    stopTyping();
    return send(body).then(() => {
      textarea.value = '';
      draft.forget();
    });
  });

  /** Add a quote after what is already written, and put the caret after it. */
  function quote(author: string, body: string): void {
    const before = textarea.value.trimEnd();
    textarea.value = `${before ? `${before}\n\n` : ''}${quoteOf(author, body)}`;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    draft.save();
    form.scrollIntoView({ block: 'nearest' });
  }

  function dispose(): void {
    stopTyping();
    mentions.close();
  }

  return { el: form, dispose, quote };
}
