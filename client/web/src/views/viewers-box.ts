import type { ForumSocket, PresenceTopic } from '../../../sdk/index.js';
import { h, replaceChildren } from '../dom.js';
import { joinNames, plural } from '../format.js';
import { nameList } from './online-box.js';

/** "N viewing this topic" with who they are; follows `presence:topic` for one topic. */
export function viewersBox(socket: ForumSocket, topicId: string): { el: HTMLElement; dispose(): void } {
  const count = h('p', { id: 'viewers', class: 'viewers-count', 'aria-live': 'polite' });
  const names = h('p', { class: 'viewer-names' });
  const el = h('aside', { class: 'stat-block viewers', 'aria-labelledby': 'viewers-heading' }, h('h2', { id: 'viewers-heading' }, 'Viewing this topic'), count, names);
  replaceChildren(count, 'Counting viewers…');

  const onPresence = (p: PresenceTopic) => {
    if (p.topicId !== topicId) return;
    const hidden = p.hiddenCount ?? 0;
    // A big room lists the first names only (the server's cap); viewerCount has them all.
    const members = p.viewerCount ?? p.viewers.length;
    const unlisted = Math.max(0, members - p.viewers.length);
    const total = members + p.guestCount + p.bots.length + hidden;
    count.dataset.viewers = String(total);
    replaceChildren(count, h('strong', null, String(total)), ' viewing this topic');
    const named = p.viewers.length + p.bots.length > 0;
    const others = [unlisted ? plural(unlisted, 'more member') : '', p.guestCount ? plural(p.guestCount, 'guest') : '', hidden ? `${hidden} hidden` : ''].filter(Boolean);
    replaceChildren(names, named ? nameList(p.viewers, p.bots) : null, others.length ? `${named ? ' and ' : ''}${joinNames(others)}` : null);
  };
  socket.on('presence:topic', onPresence);
  return { el, dispose: () => socket.off('presence:topic', onPresence) };
}
