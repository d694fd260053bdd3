import type { OnlineSnapshot, OnlineUser, PresenceDetail, PresenceDetailEntry, PresenceForum, PresenceTopic } from '../../shared/schemas.js';
import type { ForumView, HttpPresence, SocketPresence, TopicView, Visitor } from './presence-store.js';

/** Everything known about one identity, merged over its sockets and HTTP requests. */
export interface Identity {
  visitor: Visitor;
  since: number;
  lastActive: number;
  /** The most recent topic view, if any. */
  where?: TopicView;
  /** The forum of the most recent page that has one (a forum's listing, or one of its topics). */
  inForum?: ForumView;
  /** The most recent forum listing shown, if any. */
  forumPage?: ForumView;
}

// One collator for every comparison: localeCompare with options builds one per call, which
// the S5 reconnect-storm profile showed as over a quarter of the server's busy time.
const collator = new Intl.Collator('en', { sensitivity: 'base' });
const byText = (a: string, b: string) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Group records by identity: several tabs, devices and requests of one person count once. Where
 * an identity is comes from its sockets if it has any, else from its latest HTTP page.
 */
export function gatherIdentities(sockets: Iterable<SocketPresence>, http: Iterable<HttpPresence>, onlyTopic?: string): Identity[] {
  const found = new Map<string, Identity & { seenAt: number }>();
  function add(visitor: Visitor, since: number, lastActive: number, views: TopicView[], forumPage?: ForumView) {
    let id = found.get(visitor.key);
    if (!id) {
      id = { visitor, since, lastActive, seenAt: lastActive };
      found.set(visitor.key, id);
    } else {
      // The newest record has the newest name, role and hidden flag.
      if (lastActive > id.seenAt) {
        id.visitor = visitor;
        id.seenAt = lastActive;
      }
      id.since = Math.min(id.since, since);
      id.lastActive = Math.max(id.lastActive, lastActive);
    }
    for (const v of views) {
      if (!id.where || v.at > id.where.at) id.where = v;
      if (v.forumId && (!id.inForum || v.at > id.inForum.at)) id.inForum = { forumId: v.forumId, at: v.at };
    }
    if (forumPage && (!id.inForum || forumPage.at > id.inForum.at)) id.inForum = forumPage;
    if (forumPage && (!id.forumPage || forumPage.at > id.forumPage.at)) id.forumPage = forumPage;
  }
  for (const s of sockets) {
    const views = onlyTopic ? (s.topics[onlyTopic] ? [s.topics[onlyTopic]] : []) : Object.values(s.topics);
    add(s.visitor, s.since, s.lastActive, views, onlyTopic ? undefined : s.forumPage);
  }
  // A live socket says where its visitor is better than a request's page, which stays for the
  // whole online window: HTTP places count for visitors without sockets (crawlers, scripts, feeds).
  for (const h of http) {
    const placed = !found.has(h.visitor.key);
    add(h.visitor, h.since, h.lastActive, placed && h.topic ? [h.topic] : [], placed && !onlyTopic ? h.forumPage : undefined);
  }
  return [...found.values()].map(({ seenAt: _seenAt, ...id }) => id);
}

interface Tally {
  named: OnlineUser[];
  hidden: OnlineUser[];
  guestCount: number;
  bots: { name: string }[];
}

function tally(ids: Identity[]): Tally {
  const t: Tally = { named: [], hidden: [], guestCount: 0, bots: [] };
  for (const { visitor: v } of ids) {
    if (v.kind === 'guest') t.guestCount += 1;
    else if (v.kind === 'bot') t.bots.push({ name: v.botName ?? 'Unknown [Bot]' });
    else if (v.user) (v.user.hidden ? t.hidden : t.named).push({ id: v.user.id, username: v.user.username, role: v.user.role });
  }
  t.named.sort((a, b) => byText(a.username, b.username));
  t.hidden.sort((a, b) => byText(a.username, b.username));
  t.bots.sort((a, b) => byText(a.name, b.name));
  return t;
}

/** How many names a list may carry; the count beside it says how many there are. */
export interface ListLimit {
  limit?: number;
}

/**
 * Who-is-online. Hidden members are counted, not named; `showHidden` (for moderators) lists
 * them too, each flagged `hidden: true`. `registered` holds the first `limit` by name.
 */
export function onlineSnapshot(ids: Identity[], { showHidden = false, limit = Infinity }: ListLimit & { showHidden?: boolean } = {}): OnlineSnapshot {
  const t = tally(ids);
  const registered = showHidden
    ? [...t.named, ...t.hidden.map((u) => ({ ...u, hidden: true }))].sort((a, b) => byText(a.username, b.username))
    : t.named;
  return {
    total: t.named.length + t.hidden.length + t.guestCount + t.bots.length,
    registered: registered.slice(0, limit),
    registeredCount: registered.length,
    hiddenCount: t.hidden.length,
    guestCount: t.guestCount,
    bots: t.bots,
  };
}

/** Who views a topic: its subscribed sockets, one entry per identity; `viewers` holds the first `limit` by name. */
export function topicPresence(topicId: string, sockets: SocketPresence[], { limit = Infinity }: ListLimit = {}): PresenceTopic {
  const t = tally(gatherIdentities(sockets, [], topicId));
  return { topicId, viewers: t.named.slice(0, limit), viewerCount: t.named.length, guestCount: t.guestCount, bots: t.bots, hiddenCount: t.hidden.length };
}

/** phpBB's "Users browsing this forum": identities whose latest page is the forum's listing or one of its topics. */
export function forumBrowsing(forumId: string, ids: Identity[], { limit = Infinity }: ListLimit = {}): PresenceForum {
  const t = tally(ids.filter((id) => id.inForum?.forumId === forumId));
  return { forumId, viewers: t.named.slice(0, limit), viewerCount: t.named.length, guestCount: t.guestCount, bots: t.bots, hiddenCount: t.hidden.length };
}

/** Everyone a topic view counts: named, hidden, guests and bots. */
export const viewingTotal = (v: PresenceTopic): number => v.viewerCount + (v.hiddenCount ?? 0) + v.guestCount + v.bots.length;

/** Where a visitor is: their latest page, a topic (and its page) or a forum's topic list. */
function detailEntry({ visitor: v, since, lastActive, where, forumPage }: Identity): PresenceDetailEntry {
  const entry: PresenceDetailEntry = { kind: v.kind, since: new Date(since).toISOString(), lastActive: new Date(lastActive).toISOString() };
  if (v.user) Object.assign(entry, { id: v.user.id, username: v.user.username, role: v.user.role, hidden: v.user.hidden });
  if (v.botName) entry.name = v.botName;
  if (forumPage && (!where || forumPage.at > where.at)) entry.forumId = forumPage.forumId;
  else if (where) {
    entry.topicId = where.topicId;
    if (where.page !== undefined) entry.page = where.page;
  }
  return entry;
}

/** For moderators: every identity online, hidden ones included, most recently active first. */
export function presenceDetail(ids: Identity[]): PresenceDetail {
  const sorted = [...ids].sort((a, b) => b.lastActive - a.lastActive || byText(a.visitor.key, b.visitor.key));
  return { entries: sorted.map(detailEntry) };
}
