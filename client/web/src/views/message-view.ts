import type { PrivateMessage } from '../../../sdk/index.js';
import { h, trustedHtml } from '../dom.js';
import { formatDateTime } from '../format.js';
import { userLink } from './common.js';

/** One private message: its author, when, its number in the conversation and its body (the server's sanitized HTML). */
export function messageView(message: PrivateMessage): HTMLElement {
  const content = h('div', { class: 'content' });
  trustedHtml(content, message.bodyHtml);
  return h(
    'article',
    { class: 'message', id: `m${message.id}`, 'data-message-id': message.id, 'data-number': message.number, 'aria-labelledby': `m${message.id}-head` },
    h(
      'header',
      { class: 'message-head' },
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
  );
}
