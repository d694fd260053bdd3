import type { OnlineSnapshot } from '../../../sdk/index.js';
import type { OnlineStore } from '../live/online-store.js';
import type { FriendList } from '../live/friend-list.js';
import { h, replaceChildren } from '../dom.js';
import { userLink } from './common.js';
import { plural } from '../format.js';

/**
 * Names as phpBB lists them: members coloured by role, then bots as "Name [Bot]". The viewer's
 * friends, when given, are marked: class `friend` and a ★ read out as "(friend)".
 */
export function nameList(users: OnlineSnapshot['registered'], bots: OnlineSnapshot['bots'], friends?: Pick<FriendList, 'has'>): Array<Node | string> {
  const items: Array<Node | Node[]> = [
    ...users.map((u) => {
      const friend = !!friends?.has(u.id);
      // `hidden` is only ever set for a moderator's view: listed, but marked as hidden.
      const link = userLink(u, { class: `name${u.hidden ? ' hidden-user' : ''}${friend ? ' friend' : ''}`, 'data-user-id': u.id, ...(u.hidden && { title: 'Hidden' }) });
      return friend ? [link, friendMark()] : link;
    }),
    ...bots.map((b) => h('span', { class: 'name role-bot' }, b.name.endsWith('[Bot]') ? b.name : `${b.name} [Bot]`)),
  ];
  return items.flatMap((item, i) => (i === 0 ? [item] : [', ', item])).flat();
}

/** ★ after a friend's name: seen as a star, heard as "(friend)". */
function friendMark(): HTMLElement {
  return h('span', { class: 'friend-mark', title: 'Friend' }, h('span', { 'aria-hidden': 'true' }, '★'), h('span', { class: 'visually-hidden' }, ' (friend)'));
}

/**
 * "Friends online: alice, bob", for a member with friends: those of them the snapshot lists. A
 * busy board lists the first names only, so then it cannot say that none of them is online.
 */
function friendsOnline(s: OnlineSnapshot, friends: FriendList, capped: boolean): HTMLElement | null {
  if (!friends.list.length) return null;
  const online = s.registered.filter((u) => friends.has(u.id));
  if (!online.length) return h('p', { class: 'friends-online none' }, capped ? 'None of your friends is among the names listed.' : 'None of your friends is online.');
  return h('p', { class: 'friends-online' }, 'Friends online: ', online.flatMap((u, i) => [...(i ? [', '] : []), userLink(u, { 'data-user-id': u.id })]));
}

/** "Who is online": totals, then the names, the viewer's friends marked. Follows the store and the friend list live. */
export function onlineBox(store: OnlineStore, friends: FriendList): { el: HTMLElement; dispose(): void } {
  const body = h('div', { class: 'stat-body' });
  const el = h('aside', { class: 'stat-block online', id: 'online', 'aria-labelledby': 'online-heading' }, h('h2', { id: 'online-heading' }, 'Who is online'), body);

  function render(): void {
    const s = store.snapshot;
    if (!s) {
      replaceChildren(body, h('p', null, store.available ? 'Loading…' : 'Who is online is not available right now.'));
      return;
    }
    // A busy board lists the first names only (the server's cap); registeredCount has them all.
    const registered = s.registeredCount ?? s.registered.length;
    const unlisted = Math.max(0, registered - s.registered.length);
    replaceChildren(
      body,
      h('p', { class: 'online-total', 'data-online-total': s.total },
        'In total there ', s.total === 1 ? 'is ' : 'are ', h('strong', null, plural(s.total, 'user')), ' online :: ',
        s.bots.length
          ? `${registered} registered, ${s.hiddenCount} hidden, ${plural(s.guestCount, 'guest')} and ${plural(s.bots.length, 'bot')}`
          : `${registered} registered, ${s.hiddenCount} hidden and ${plural(s.guestCount, 'guest')}`,
      ),
      h('p', { class: 'online-names' }, 'Registered users: ', registered || s.bots.length ? nameList(s.registered, s.bots, friends) : 'No registered users', unlisted ? ` and ${unlisted} more` : null),
      friendsOnline(s, friends, unlisted > 0),
      h('p', { class: 'legend' }, 'Legend: ', h('span', { class: 'role-admin' }, 'Administrators'), ', ', h('span', { class: 'role-moderator' }, 'Global moderators'), ', ', h('span', { class: 'role-bot' }, 'Bots')),
    );
  }

  render();
  const stops = [store.subscribe(render), friends.subscribe(render)];
  return {
    el,
    dispose() {
      for (const stop of stops) stop();
    },
  };
}
