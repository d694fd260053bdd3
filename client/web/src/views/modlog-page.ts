import type { ModlogEntry } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { formatDateTime } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading, userLink } from './common.js';
import { pagination } from './pagination.js';

const ACTIONS: Record<ModlogEntry['action'], string> = {
  'topic.lock': 'Locked topic',
  'topic.unlock': 'Unlocked topic',
  'topic.pin': 'Pinned topic',
  'topic.unpin': 'Unpinned topic',
  'topic.announce': 'Made topic an announcement',
  'topic.unannounce': 'Made topic a normal topic',
  'topic.move': 'Moved topic',
  'topic.split': 'Split topic',
  'topic.merge': 'Merged topic',
  'topic.rename': 'Renamed topic',
  'topic.retag': 'Changed topic tags',
  'topic.delete': 'Deleted topic',
  'topic.restore': 'Restored topic',
  'post.edit': 'Edited post',
  'post.delete': 'Deleted post',
  'post.restore': 'Restored post',
  'post.move': 'Moved posts',
  'post.approve': 'Approved post',
  'post.reject': 'Rejected post',
  'user.ban': 'Banned user',
  'user.unban': 'Lifted ban',
  'user.warn': 'Warned user',
  'user.unwarn': 'Removed warning',
  'forum.update': 'Changed forum',
  'report.close': 'Closed report',
  'poll.delete': 'Removed poll',
  'poll.close': 'Closed poll',
  'poll.reopen': 'Reopened poll',
  'attachment.delete': 'Deleted attachment',
};

/** phpBB's Moderator Control Panel log: who did what to which topic, post or member, and why. */
export function modlogPage(ctx: WebContext, main: HTMLElement, page: number): Page {
  let alive = true;
  ctx.setPlace('Moderation log', [{ label: 'Board index', href: paths.board() }, { label: 'Moderation log' }]);
  replaceChildren(main, loading());

  void (async () => {
    try {
      const data = await ctx.api.get<{ entries: ModlogEntry[]; page: number; pageCount: number }>(`/modlog?page=${page}`);
      if (!alive) return;
      const pages = () => pagination(data.page, data.pageCount, (p) => paths.modlog(p), 'Log pages');
      replaceChildren(
        main,
        h('h1', { class: 'page-title' }, 'Moderation log'),
        h(
          'div',
          { class: 'action-bar' },
          h('a', { href: paths.reports(), class: 'button small reports-page-link' }, 'Reported posts'),
          ' ',
          h('a', { href: paths.whoIsOnline(), class: 'button small who-is-online-link' }, 'Who is online'),
          pages(),
        ),
        h(
          'table',
          { class: 'list modlog' },
          h('thead', null, h('tr', null, ...['When', 'Moderator', 'Action', 'Reason'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, data.entries.length ? data.entries.map(row) : h('tr', null, h('td', { colspan: 4 }, 'Nothing has been moderated yet.'))),
        ),
        h('div', { class: 'action-bar' }, pages()),
      );
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  })();

  return {
    dispose() {
      alive = false;
    },
  };
}

function row(entry: ModlogEntry): HTMLElement {
  return h(
    'tr',
    { 'data-action': entry.action },
    h('td', null, h('time', { datetime: entry.at }, formatDateTime(entry.at))),
    h('td', null, userLink(entry.actor)),
    h('td', null, ACTIONS[entry.action] ?? entry.action, ' ', subject(entry)),
    h('td', null, entry.reason ?? ''),
  );
}

/** What the action was done to, linked where there is a page for it. */
function subject(entry: ModlogEntry): Node | string {
  const d = (entry.details ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  switch (entry.target.type) {
    case 'topic':
      if (entry.action === 'topic.rename') return h('span', null, '“', text('from'), '” → ', h('a', { href: paths.topic(entry.target.id) }, `“${text('to')}”`));
      return h('a', { href: paths.topic(entry.target.id) }, `“${text('title') || 'topic'}”`);
    case 'post':
      return text('topicId') ? h('a', { href: paths.post(text('topicId'), entry.target.id) }, 'in its topic') : '';
    case 'user':
      return h('a', { href: paths.member(entry.target.id) }, text('username') || 'member');
    case 'forum':
      return h('a', { href: paths.forum(entry.target.id) }, text('title') || 'forum');
    default:
      return '';
  }
}
