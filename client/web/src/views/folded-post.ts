import type { ShownPost } from '../live/topic-model.js';
import { h } from '../dom.js';
import { userLink } from './common.js';

/**
 * A post by a member on the reader's ignore list, folded away as phpBB does: who wrote it and a
 * button that shows it. It keeps the post's place: its anchor (`#p<id>`), its id and its number.
 */
export function foldedPost(post: ShownPost, show: () => void): HTMLElement {
  const note = `p${post.id}-folded`;
  return h(
    'article',
    { class: 'post folded', id: `p${post.id}`, 'data-post-id': post.id, 'data-author-id': post.author.id, 'aria-labelledby': note },
    h(
      'p',
      { id: note, class: 'folded-note' },
      'This post was made by ',
      h('strong', null, userLink(post.author)),
      ' who is on your ignore list.',
    ),
    h('button', { type: 'button', class: 'button small show-post', 'aria-describedby': note, onclick: show }, 'Show this post'),
    h('span', { class: 'post-number' }, `#${post.number}`),
  );
}
