import type { ForumSocket, PresenceForum, PresenceTopic } from '../../../sdk/index.js';
import { h, replaceChildren } from '../dom.js';
import { joinNames, plural } from '../format.js';
import { nameList } from './online-box.js';
import type { FriendList } from '../live/friend-list.js';

/** The reader's friends, marked in the names as who is online marks them (none for guests). */
type Friends = Pick<FriendList, 'has'> | undefined;

/** What `presence:topic` and `presence:forum` have in common: who, capped, and the counts. */
type Presence = Pick<PresenceTopic, 'viewers' | 'viewerCount' | 'guestCount' | 'bots' | 'hiddenCount'>;

/** A live "N <what>" box with who they are: named members (the server's first ones), bots, then the rest counted. */
function presenceBox(opts: { id: string; title: string; what: string; waiting: string; friends: Friends }) {
  const count = h('p', { id: opts.id, class: 'viewers-count', 'aria-live': 'polite' });
  const names = h('p', { class: 'viewer-names' });
  const el = h('aside', { class: `stat-block ${opts.id}`, 'aria-labelledby': `${opts.id}-heading` }, h('h2', { id: `${opts.id}-heading` }, opts.title), count, names);
  replaceChildren(count, opts.waiting);
  function show(p: Presence): void {
    const hidden = p.hiddenCount ?? 0;
    // A big room lists the first names only (the server's cap); viewerCount has them all.
    const members = p.viewerCount ?? p.viewers.length;
    const unlisted = Math.max(0, members - p.viewers.length);
    const total = members + p.guestCount + p.bots.length + hidden;
    count.dataset.viewers = String(total);
    replaceChildren(count, h('strong', null, String(total)), ` ${opts.what}`);
    const named = p.viewers.length + p.bots.length > 0;
    const others = [unlisted ? plural(unlisted, 'more member') : '', p.guestCount ? plural(p.guestCount, 'guest') : '', hidden ? `${hidden} hidden` : ''].filter(Boolean);
    replaceChildren(names, named ? nameList(p.viewers, p.bots, opts.friends) : null, others.length ? `${named ? ' and ' : ''}${joinNames(others)}` : null);
  }
  return { el, show };
}

/** "N viewing this topic" with who they are; follows `presence:topic` for one topic. */
export function viewersBox(socket: ForumSocket, topicId: string, friends?: Friends): { el: HTMLElement; dispose(): void } {
  const box = presenceBox({ id: 'viewers', title: 'Viewing this topic', what: 'viewing this topic', waiting: 'Counting viewers…', friends });
  const onPresence = (p: PresenceTopic) => p.topicId === topicId && box.show(p);
  socket.on('presence:topic', onPresence);
  return { el: box.el, dispose: () => socket.off('presence:topic', onPresence) };
}

/** phpBB's "Users browsing this forum": on its page or in its topics; follows `presence:forum` for one forum. */
export function browsingBox(socket: ForumSocket, forumId: string, friends?: Friends): { el: HTMLElement; dispose(): void } {
  const box = presenceBox({ id: 'browsing', title: 'Users browsing this forum', what: 'browsing this forum', waiting: 'Counting…', friends });
  const onPresence = (p: PresenceForum) => p.forumId === forumId && box.show(p);
  socket.on('presence:forum', onPresence);
  return { el: box.el, dispose: () => socket.off('presence:forum', onPresence) };
}
