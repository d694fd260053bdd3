import type { Role } from '../../shared/schemas.js';

/** A store may answer at once (memory) or later (Redis); callers always await. */
export type Awaitable<T> = T | Promise<T>;

/**
 * One identity on the board: a member (whatever number of tabs and devices), a guest session,
 * a crawler, or a bot account. Everything presence shows is grouped by `key`:
 * `u:<userId>` members and bot accounts, `s:<sessionId>` guest sessions,
 * `g:<hash of IP and User-Agent>` HTTP-only guests, `c:<crawler name>` crawlers.
 */
export interface Visitor {
  key: string;
  kind: 'member' | 'guest' | 'bot';
  user?: { id: string; username: string; role: Role; hidden: boolean };
  /** Bots only: the display name, "<Name> [Bot]". */
  botName?: string;
}

/** Where a visitor is reading: a topic, and the page when the client said which. */
export interface TopicView {
  topicId: string;
  /** The topic's forum when the view began (for "Users browsing this forum"). */
  forumId?: string;
  page?: number;
  /** When this view started (ms since epoch): the latest view is "where they are". */
  at: number;
}

/** A forum's page (its topic list), shown by a socket or served over HTTP. */
export interface ForumView {
  forumId: string;
  at: number;
}

/** One Socket.IO connection. Kept for the grace period after it drops (`departedAt`). */
export interface SocketPresence {
  socketId: string;
  visitor: Visitor;
  since: number;
  lastActive: number;
  /** The topics this socket is subscribed to, by topic id. */
  topics: Record<string, TopicView>;
  /** The forum whose page (its topic list) this socket shows, and since when. */
  forumPage?: ForumView;
  departedAt?: number;
}

/** An identity seen over HTTP; online until `lastActive` is older than the online window. */
export interface HttpPresence {
  visitor: Visitor;
  since: number;
  lastActive: number;
  /** Its latest page with a place: a topic, or a forum's listing (never both). */
  topic?: TopicView;
  forumPage?: ForumView;
}

/** Where an HTTP request was: a topic's page, or a forum's listing. */
export type HttpPlace = { topic: TopicView } | { forumPage: ForumView };
/** The same as a route tells it, before the time is stamped. */
export type VisitPlace = { topic: Omit<TopicView, 'at'> } | { forumPage: Omit<ForumView, 'at'> };

/**
 * All presence state, and nothing else: the handlers and the presence service talk to this
 * interface only, so a multi-node deployment can swap the memory store for a shared one.
 * Returned records are snapshots; callers never mutate them.
 */
export interface PresenceStore {
  addSocket(entry: SocketPresence): Awaitable<void>;
  /** Record that a socket views a topic. False when the socket is unknown (already removed). */
  setSocketTopic(socketId: string, view: TopicView): Awaitable<boolean>;
  /** Forget a socket's topic. True when the socket was viewing it. */
  clearSocketTopic(socketId: string, topicId: string): Awaitable<boolean>;
  /** Record the forum page a socket shows (null: none). False when the socket is unknown (already removed). */
  setSocketForumPage(socketId: string, view: ForumView | null): Awaitable<boolean>;
  touchSocket(socketId: string, at: number): Awaitable<void>;
  /** A member's hidden flag changed: their socket shows it from now on. Undefined when the socket is unknown or not a member's. */
  setSocketHidden(socketId: string, hidden: boolean): Awaitable<SocketPresence | undefined>;
  /** Start the grace period of a dropped socket; it still counts until removed. */
  markSocketDeparted(socketId: string, at: number): Awaitable<SocketPresence | undefined>;
  removeSocket(socketId: string): Awaitable<SocketPresence | undefined>;
  /**
   * Note an HTTP request by `visitor` at `at`. An entry last active at or before `expiredBefore`
   * counts as a new visit (its `since` restarts). A `place` replaces the remembered one (a topic
   * view and a forum listing alike: the latest page is where the visitor is). `replaces`: the key
   * of a visitor this one now is (a guest session that signed in), forgotten in the same step;
   * true when it was there.
   */
  recordHttp(visitor: Visitor, at: number, expiredBefore: number, place?: HttpPlace, replaces?: string): Awaitable<boolean>;
  /** Forget an HTTP visitor now, whenever it was last active (a member who logged out). True if it was there. */
  forgetHttp(key: string): Awaitable<boolean>;
  /** Remove and return HTTP visitors last active at or before `cutoff`. */
  expireHttp(cutoff: number): Awaitable<HttpPresence[]>;
  topicSockets(topicId: string): Awaitable<SocketPresence[]>;
  sockets(): Awaitable<SocketPresence[]>;
  /** HTTP visitors last active after `cutoff`. */
  httpVisitors(cutoff: number): Awaitable<HttpPresence[]>;
}
