import type { PrivateMessage } from '../../../sdk/index.js';
import { h, trustedHtml } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { userLink } from './common.js';
import { messageControls, type MessageEditing } from './message-controls.js';

/**
 * One private message: its author, when, its number in the conversation and its body (the
 * server's sanitized HTML), then whether it was edited; a deleted one keeps its place with a
 * note instead. `editing` (for the member's own messages only) adds Edit and Delete.
 */
export function messageView(message: PrivateMessage, editing: MessageEditing | null = null): HTMLElement {
  const content = h('div', { class: 'content' });
  if (message.deleted) content.append(h('p', { class: 'notice deleted' }, 'This message was deleted.'));
  else trustedHtml(content, message.bodyHtml);
  const controls = editing && !message.deleted ? messageControls(message, content, editing) : null;
  return h(
    'article',
    {
      class: message.deleted ? 'message deleted' : 'message',
      id: `m${message.id}`,
      'data-message-id': message.id,
      'data-number': message.number,
      'data-edit-count': message.editCount ?? 0,
      'aria-labelledby': `m${message.id}-head`,
    },
    h(
      'header',
      { class: 'message-head' },
      controls?.button ?? null,
      h(
        'p',
        { class: 'author', id: `m${message.id}-head` },
        h('strong', null, userLink(message.author)),
        ' » ',
        h('time', { datetime: message.createdAt }, formatDateTime(message.createdAt)),
        h('a', { href: `#m${message.id}`, class: 'post-number', title: 'Link to this message' }, `#${message.number}`),
      ),
    ),
    content,
    controls?.error ?? null,
    message.deleted ? null : editedNote(message),
  );
}

/** "Edited 2 times, last on Mon 25 Nov 2024, 01:08" (nothing for a message never edited). */
function editedNote(message: PrivateMessage): HTMLElement | null {
  if (!message.editedAt) return null;
  return h(
    'p',
    { class: 'notice edited' },
    'Edited ',
    plural(message.editCount ?? 1, 'time'),
    ', last on ',
    h('time', { datetime: message.editedAt }, formatDateTime(message.editedAt)),
  );
}
