import type { SearchHit } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { paths } from '../router.js';
import { userLink } from './common.js';

/**
 * One post as a search hit: its subject linked to the post in its topic, author, date, forum and
 * topic, and a plain-text excerpt. Search results and bookmarks list posts this way.
 */
export function hitView(hit: SearchHit): HTMLLIElement {
  const { post, topic, forum } = hit;
  return h(
    'li',
    { class: 'hit panel', 'data-post-id': post.id },
    h('h3', null, h('a', { href: paths.post(post.topicId, post.id) }, post.subject)),
    h('p', { class: 'meta' },
      'by ', h('strong', null, userLink(post.author)), ' » ', h('time', { datetime: post.createdAt }, formatDateTime(post.createdAt)),
      ' · in ', h('a', { href: paths.forum(forum.id) }, forum.title), ' › ', h('a', { href: paths.topic(topic.id) }, topic.title),
      topic.deleted ? h('span', { class: 'badge deleted' }, 'Deleted topic') : null,
    ),
    h('p', { class: 'snippet' }, post.snippet),
  );
}
