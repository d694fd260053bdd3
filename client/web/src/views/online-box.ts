import type { OnlineSnapshot } from '../../../sdk/index.js';
import type { OnlineStore } from '../live/online-store.js';
import { h, replaceChildren } from '../dom.js';
import { userLink } from './common.js';
import { plural } from '../format.js';

/** Names as phpBB lists them: members coloured by role, then bots as "Name [Bot]". */
export function nameList(users: OnlineSnapshot['registered'], bots: OnlineSnapshot['bots']): Array<Node | string> {
  const items: HTMLElement[] = [
    // `hidden` is only ever set for a moderator's view: listed, but marked as hidden.
    ...users.map((u) => userLink(u, { class: `name${u.hidden ? ' hidden-user' : ''}`, 'data-user-id': u.id, ...(u.hidden && { title: 'Hidden' }) })),
    ...bots.map((b) => h('span', { class: 'name role-bot' }, b.name.endsWith('[Bot]') ? b.name : `${b.name} [Bot]`)),
  ];
  return items.flatMap((el, i) => (i === 0 ? [el] : [', ', el]));
}

/** "Who is online": totals, then the names. Follows the store live. */
export function onlineBox(store: OnlineStore): { el: HTMLElement; dispose(): void } {
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
      h('p', { class: 'online-names' }, 'Registered users: ', registered || s.bots.length ? nameList(s.registered, s.bots) : 'No registered users', unlisted ? ` and ${unlisted} more` : null),
      h('p', { class: 'legend' }, 'Legend: ', h('span', { class: 'role-admin' }, 'Administrators'), ', ', h('span', { class: 'role-moderator' }, 'Global moderators'), ', ', h('span', { class: 'role-bot' }, 'Bots')),
    );
  }

  render();
  const stop = store.subscribe(render);
  return { el, dispose: stop };
}
