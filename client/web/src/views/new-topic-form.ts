import { LIMITS } from '../../../../shared/limits.js';
import { h } from '../dom.js';
import { onSubmit } from './submit.js';
import { keepDraft } from '../drafts.js';
import type { Api } from '../api.js';
import { mentionSuggestions } from './mention-suggestions.js';
import { composeTools } from './compose-tools.js';
import { pollFields } from './poll-fields.js';
import { tagField } from './tag-field.js';
import type { PollInput } from '../../../sdk/index.js';

export interface NewTopicFormOptions {
  /** Where the unsent subject and message are kept (see drafts.ts): one per forum. */
  draftKey: string;
  /** REST as the member writing: @mention suggestions ask it for names; attachments are uploaded and previews rendered with it. */
  api: Api;
  /** Start the topic; resolves once the server has it (the page then moves to it). */
  send(input: { title: string; body: string; poll?: PollInput; tags?: string[] }): Promise<void>;
  /** Said under the heading when shown (e.g. that posts here wait for a moderator: approval-notice.ts). */
  notice?: HTMLElement;
}

/**
 * "Post a new topic", phpBB-style: a subject and a message, optionally tags (Discourse's, NodeBB's;
 * their number and length checked before sending) and a poll (its section, closed until opened,
 * goes with the topic only while open). Hidden until the forum page's New Topic button opens it;
 * kept across the page's live refreshes so nothing typed is lost.
 */
export function newTopicForm({ draftKey, api, send, notice }: NewTopicFormOptions): { el: HTMLElement; open(): void } {
  const title = h('input', { id: 'topic-title', name: 'title', type: 'text', maxlength: LIMITS.titleMax, required: true, autocomplete: 'off' });
  const body = h('textarea', { id: 'topic-body', name: 'body', rows: 8, maxlength: LIMITS.bodyMax, required: true, 'aria-describedby': 'topic-hint' });
  const mentions = mentionSuggestions(body, api);
  const tools = composeTools(body, api);
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Submit');
  const cancel = h('button', { type: 'button', class: 'button', onclick: () => discard() }, 'Cancel');
  const tags = tagField('topic-tags');
  tags.label.append(' ', h('span', { class: 'muted' }, '(optional)'));
  const poll = pollFields('new-poll');
  const pollSection = h('details', { class: 'poll-section' }, h('summary', null, 'Add a poll'), poll.el);
  const form = h(
    'form',
    { class: 'new-topic-form panel', id: 'new-topic', 'aria-labelledby': 'new-topic-heading', hidden: true },
    h('h2', { id: 'new-topic-heading' }, 'Post a new topic'),
    notice ?? null,
    h('label', { for: 'topic-title' }, 'Subject'),
    title,
    h('label', { for: 'topic-body' }, 'Message'),
    h('div', { class: 'name-suggest' }, body, mentions.el),
    tools.el,
    h('p', { id: 'topic-hint', class: 'hint' }, 'BBCode and Markdown both work.'),
    tags.label,
    tags.input,
    tags.hint,
    pollSection,
    error,
    h('div', { class: 'form-actions' }, cancel, ' ', submit),
  );

  const drafts = [keepDraft(title, `${draftKey}:title`), keepDraft(body, `${draftKey}:body`), keepDraft(tags.input, `${draftKey}:tags`)];
  // A topic left half-written opens again with the page.
  if (title.value || body.value) form.hidden = false;

  /** Cancel: phpBB's, which throws the draft away. */
  function discard(): void {
    title.value = '';
    body.value = '';
    tags.set([]);
    poll.clear();
    pollSection.open = false;
    for (const d of drafts) d.forget();
    tools.closePreview();
    form.hidden = true;
  }

  /** A check that failed before sending: said where the server's refusals are. */
  function refuse(message: string): undefined {
    error.textContent = message;
    error.hidden = false;
    return undefined;
  }

  onSubmit(form, { button: submit, error, fallback: 'Your topic was not posted' }, () => {
    const typed = { title: title.value.trim(), body: body.value.trim() };
    if (!typed.title || !typed.body) return undefined;
    const tagged = tags.read();
    if (!tagged.ok) return refuse(tagged.message);
    const input = { ...typed, ...(tagged.tags.length && { tags: tagged.tags }) };
    // The poll goes with the topic when its section is open and something is in it.
    if (!pollSection.open || poll.isBlank()) return send(input).then(discard);
    const checked = poll.read();
    if (!checked.ok) return refuse(checked.message);
    return send({ ...input, poll: checked.poll }).then(discard);
  });

  return {
    el: form,
    open() {
      form.hidden = false;
      title.focus();
      form.scrollIntoView({ block: 'nearest' });
    },
  };
}
