import type { Topic } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import { h } from '../dom.js';
import { formatDateTime } from '../format.js';
import { paths } from '../router.js';
import { lastPostCell, userLink } from './common.js';
import { tagBadges } from './tag-badges.js';

/**
 * A list of topics, phpBB's "topiclist": title with its author and date (and, with `forumOf`, the
 * forum it is in), replies, views, last post; `heading` names the first column (phpBB's "Announcements" table); New where the member has unread posts, linked to the first;
 * Poll (phpBB's "[ Poll ]") before the title of a topic with a poll; Solved (Discourse's ✓) before
 * the title of a topic whose answer was chosen; its tags after the title, each linked to `tagHref`
 * of it (the tag's page across the board unless the page says otherwise).
 */
export function topicTable(
  topics: Topic[],
  opts: { empty: string; heading?: string; forumOf?: (t: Topic) => { id: string; title: string } | undefined; tagHref?: (tag: string) => string },
): HTMLElement {
  const inForum = (t: Topic) => {
    const forum = opts.forumOf?.(t);
    return forum ? [' » in ', h('a', { href: paths.forum(forum.id) }, forum.title)] : null;
  };
  return h(
    'table',
    { class: opts.heading ? 'list topics announcements' : 'list topics' },
    h('caption', { class: 'visually-hidden' }, opts.heading ?? 'Topics'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, opts.heading ?? 'Topics'), h('th', { scope: 'col', class: 'num' }, 'Replies'), h('th', { scope: 'col', class: 'num' }, 'Views'), h('th', { scope: 'col' }, 'Last post'))),
    h(
      'tbody',
      null,
      topics.length
        ? topics.map((t) => {
            const lastPage = Math.max(1, Math.ceil(t.postCount / LIMITS.postsPerPage));
            return h(
              'tr',
              { 'data-topic-id': t.id, class: [t.unread && 'unread', t.pinned && 'pinned'].filter(Boolean).join(' ') || false },
              h(
                'th',
                { scope: 'row', class: 'title' },
                t.announcement === 'global' ? h('span', { class: 'badge announcement global', title: 'Shown at the top of every forum' }, 'Global') : null,
                t.pinned ? h('span', { class: 'badge pinned', title: 'Pinned to the top of the forum' }, 'Pinned') : null,
                t.locked ? h('span', { class: 'badge locked' }, 'Locked') : null,
                t.unread ? h('a', { href: paths.firstUnread(t.id), class: 'badge new', title: 'Go to the first unread post' }, 'New') : null,
                t.hasPoll ? h('span', { class: 'badge poll', title: 'This topic has a poll' }, 'Poll') : null,
                t.solution ? h('span', { class: 'badge solved', title: `Solved: the answer is by ${t.solution.authorName}` }, 'Solved') : null,
                h('a', { href: paths.topic(t.id), class: 'topictitle' }, t.title),
                tagBadges(t.tags, opts.tagHref),
                h('p', { class: 'meta' }, 'by ', h('strong', null, userLink({ id: t.authorId, username: t.authorName })), ' » ', h('time', { datetime: t.createdAt }, formatDateTime(t.createdAt)), inForum(t)),
              ),
              h('td', { class: 'num', 'data-label': 'Replies' }, Math.max(0, t.postCount - 1)),
              h('td', { class: 'num views', 'data-label': 'Views' }, t.views),
              h('td', { class: 'last', 'data-label': 'Last post' }, t.lastPost ? lastPostCell({ ...t.lastPost }) : lastPostCell(null), lastPage > 1 ? h('a', { href: paths.topic(t.id, lastPage), class: 'jump' }, `Go to page ${lastPage}`) : null),
            );
          })
        : h('tr', null, h('td', { colspan: 4 }, opts.empty)),
    ),
  );
}
