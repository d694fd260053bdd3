import { LIMITS } from '../../../../shared/limits.js';
import { h } from '../dom.js';
import { onSubmit } from './submit.js';
import { keepDraft } from '../drafts.js';
import type { Api } from '../api.js';
import { mentionSuggestions } from './mention-suggestions.js';
import { composeTools } from './compose-tools.js';
import { nameSuggestions, type NameWord } from './name-suggestions.js';

export interface NewMessageFormOptions {
  /** Where the unsent recipients, title and message are kept (see drafts.ts). */
  draftKey: string;
  /** REST as the member writing: name suggestions (To, and @mentions) ask it; attachments are uploaded and previews rendered with it. */
  api: Api;
  /** Start the conversation; resolves once the server has it (the page then moves to it). */
  send(input: { to: string[]; title: string; body: string }): Promise<void>;
}

/** "alice, bob ,, carol" -> ['alice', 'bob', 'carol'] (each name once, as first written). */
export function recipientsOf(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name && !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

/** The last name in To while the caret is in it: after the last comma, leading spaces left out. */
export function recipientAt(text: string, caret: number): NameWord | null {
  if (text.includes(',', caret)) return null;
  const from = text.lastIndexOf(',', caret - 1) + 1;
  const typed = text.slice(from, caret);
  const prefix = typed.trim();
  if (!prefix || prefix.length > LIMITS.usernameMax) return null;
  return { start: from + typed.length - typed.trimStart().length, end: text.length, prefix };
}

/**
 * phpBB's "Compose message": to whom (usernames, comma-separated), a title and the message.
 * Hidden until the inbox's New message button opens it; a half-written one opens with the page.
 */
export function newMessageForm({ draftKey, api, send }: NewMessageFormOptions): { el: HTMLElement; open(recipient?: string): void } {
  const to = h('input', { id: 'message-to', name: 'to', type: 'text', required: true, autocomplete: 'off', 'aria-describedby': 'message-to-hint' });
  const title = h('input', { id: 'message-title', name: 'title', type: 'text', maxlength: LIMITS.titleMax, required: true, autocomplete: 'off' });
  const body = h('textarea', { id: 'message-body', name: 'body', rows: 8, maxlength: LIMITS.bodyMax, required: true, 'aria-describedby': 'message-hint' });
  // To suggests its last name (each name once); the message suggests @mentions.
  const names = nameSuggestions(to, api, {
    wordAt: recipientAt,
    token: (username) => username,
    separator: ', ',
    offer: (username, text, word) => !recipientsOf(text.slice(0, word.start)).some((n) => n.toLowerCase() === username.toLowerCase()),
    label: 'Name suggestions',
  });
  const mentions = mentionSuggestions(body, api);
  const tools = composeTools(body, api);
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Send');
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => discard() }, 'Cancel');
  const form = h(
    'form',
    { class: 'new-message-form panel', id: 'new-message', 'aria-labelledby': 'new-message-heading', hidden: true },
    h('h2', { id: 'new-message-heading' }, 'New message'),
    h('label', { for: 'message-to' }, 'To'),
    h('div', { class: 'name-suggest' }, to, names.el),
    h('p', { id: 'message-to-hint', class: 'hint' }, `Usernames, separated by commas (at most ${LIMITS.conversationRecipientsMax}).`),
    h('label', { for: 'message-title' }, 'Title'),
    title,
    h('label', { for: 'message-body' }, 'Message'),
    h('div', { class: 'name-suggest' }, body, mentions.el),
    tools.el,
    h('p', { id: 'message-hint', class: 'hint' }, 'BBCode and Markdown both work.'),
    error,
    h('div', { class: 'form-actions' }, cancel, ' ', submit),
  );

  const drafts = [keepDraft(to, `${draftKey}:to`), keepDraft(title, `${draftKey}:title`), keepDraft(body, `${draftKey}:body`)];
  if (to.value || title.value || body.value) form.hidden = false;

  /** Cancel throws the draft away, as phpBB's does. */
  function discard(): void {
    to.value = '';
    title.value = '';
    body.value = '';
    error.hidden = true;
    for (const d of drafts) d.forget();
    tools.closePreview();
    form.hidden = true;
  }

  onSubmit(form, { button: submit, error, fallback: 'Your message was not sent' }, () => {
    const input = { to: recipientsOf(to.value), title: title.value.trim(), body: body.value.trim() };
    if (!input.to.length || !input.title || !input.body) return undefined;
    return send(input).then(discard);
  });

  return {
    el: form,
    /** Show the form; with `recipient`, addressed to them unless To already names them. */
    open(recipient?: string) {
      form.hidden = false;
      if (recipient && !recipientsOf(to.value).some((n) => n.toLowerCase() === recipient.toLowerCase())) {
        to.value = [...recipientsOf(to.value), recipient].join(', ');
        to.dispatchEvent(new Event('input')); // kept in the draft like typing
      }
      (recipient ? title : to).focus();
      form.scrollIntoView({ block: 'nearest' });
    },
  };
}
