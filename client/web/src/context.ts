import type { ForumClient } from '../../sdk/index.js';
import type { Api } from './api.js';
import type { Session } from './session.js';
import type { OnlineStore } from './live/online-store.js';
import type { NotificationStore } from './live/notification-store.js';
import type { MessageStore } from './live/message-store.js';
import type { ReportStore } from './live/report-store.js';
import type { QueueStore } from './live/queue-store.js';
import type { PresenceDetailStore } from './live/presence-detail-store.js';
import type { IgnoreList } from './live/ignore-list.js';
import type { FriendList } from './live/friend-list.js';

export interface Crumb {
  label: string;
  href?: string;
}

/** What every page gets: the live client, who is logged in, and the shell's hooks. */
export interface WebContext {
  client: ForumClient;
  /** REST for this page, as whoever is logged in. */
  api: Api;
  session: Session | null;
  online: OnlineStore;
  /** The member's unread notification count, live (inert for a guest). */
  notifications: NotificationStore;
  /** The member's unread conversations, live, and the private messages pushed to them (inert for a guest). */
  messages: MessageStore;
  /** The board's open reports, live (moderators and admins; inert for everyone else). */
  reports: ReportStore;
  /** The posts awaiting approval, counted live (moderators and admins; inert for everyone else). */
  queue: QueueStore;
  /** Everyone online, in detail, live (moderators and admins; inert for everyone else). */
  presenceDetail: PresenceDetailStore;
  /** The members the signed-in member ignores, whose posts are folded away (empty for a guest). */
  ignoreList: IgnoreList;
  /** The signed-in member's friends, marked in who is online (empty for a guest). */
  friendList: FriendList;
  navigate(path: string, opts?: { replace?: boolean }): void;
  /** Document title and breadcrumbs (board index first). */
  setPlace(title: string, crumbs: Crumb[]): void;
  /** A message at the top of every page (e.g. signed out) until the next one, `null` or a login. */
  notify(text: string | null): void;
  login(session: Session): void;
  logout(): void;
}

/** A mounted page; `dispose` stops its subscriptions and listeners. */
export interface Page {
  dispose(): void;
}
