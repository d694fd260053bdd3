import type { UserCard } from '../../../sdk/index.js';
import { byData, h, replaceChildren } from '../dom.js';
import { userLink } from './common.js';
import { formatDate, plural } from '../format.js';

const times = (n: number) => plural(n, 'time');

function avatar(card: UserCard): HTMLElement {
  const url = card.avatarUrl ?? '';
  if (/^https?:\/\//i.test(url) || (url.startsWith('/') && !url.startsWith('//'))) {
    return h('img', { class: 'avatar', src: url, alt: '', width: 80, height: 80, loading: 'lazy', referrerpolicy: 'no-referrer' });
  }
  let hue = 7;
  for (const ch of card.username) hue = (hue * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return h('span', { class: 'avatar initial', 'aria-hidden': 'true', style: `--hue: ${hue}` }, (card.username[0] ?? '?').toUpperCase());
}

function counter(field: 'postCount' | 'thanksGiven' | 'thanksReceived', value: number, text: string): HTMLElement {
  return h('dd', { 'data-field': field, 'data-value': value }, text);
}

/** The author card beside each post (phpBB's "postprofile"). */
export function profileCard(card: UserCard): HTMLElement {
  const el = h('aside', { class: 'postprofile', 'data-user-id': card.id, 'aria-label': `About ${card.username}` });
  fillCard(el, card);
  return el;
}

function fillCard(el: HTMLElement, card: UserCard): void {
  const facts: HTMLElement[] = [];
  if (card.groups.length) facts.push(h('dt', null, 'Groups'), h('dd', { 'data-field': 'groups' }, card.groups.join(', ')));
  facts.push(h('dt', null, 'Posts'), counter('postCount', card.postCount, String(card.postCount)));
  facts.push(h('dt', null, 'Joined'), h('dd', null, h('time', { datetime: card.joinedAt }, formatDate(card.joinedAt))));
  if (card.location) facts.push(h('dt', null, 'Location'), h('dd', null, card.location));
  for (const [key, value] of Object.entries(card.fields ?? {})) facts.push(h('dt', null, key), h('dd', null, value));
  facts.push(h('dt', null, 'Has thanked'), counter('thanksGiven', card.thanksGiven, times(card.thanksGiven)));
  facts.push(h('dt', null, 'Been thanked'), counter('thanksReceived', card.thanksReceived, times(card.thanksReceived)));
  replaceChildren(
    el,
    avatar(card),
    h('div', { class: 'profile-id' },
      h('p', { class: 'username' }, h('strong', null, userLink(card))),
      h('p', { class: 'rank' }, card.rank),
    ),
    h('dl', { class: 'profile-facts' }, facts),
  );
}

/** A fresher card for a user: redraw each of their cards on the page. */
export function updateCards(root: ParentNode, card: UserCard): void {
  for (const el of byData(root, 'user-id', card.id)) if (el.classList.contains('postprofile')) fillCard(el, card);
}

/** New absolute thanks counters for a user, everywhere their card appears. */
export function updateCounters(root: ParentNode, userId: string, counters: { thanksGiven?: number; thanksReceived?: number }): void {
  for (const el of byData(root, 'user-id', userId)) {
    for (const field of ['thanksGiven', 'thanksReceived'] as const) {
      const value = counters[field];
      const dd = el.querySelector<HTMLElement>(`[data-field="${field}"]`);
      if (value === undefined || !dd) continue;
      dd.dataset.value = String(value);
      dd.textContent = times(value);
    }
  }
}
