import type { Logger } from 'pino';
import type { OnlineSnapshot, PresenceDetail, PresenceForum, PresenceTopic } from '../../shared/schemas.js';
import { policy } from '../services/policy.js';
import type { AuthUser } from '../services/token.service.js';
import { createCoalescer } from './coalescer.js';
import type { CrawlerDetector } from './crawlers.js';
import type { HiddenLookup } from './hidden-lookup.js';
import { createKeyedQueue } from './keyed-queue.js';
import { createNewcomerBatcher } from './newcomers.js';
import type { PresenceStore, Visitor, VisitPlace } from './presence-store.js';
import { forumBrowsing, gatherIdentities, onlineSnapshot, presenceDetail, topicPresence, viewingTotal } from './presence-views.js';
import { addressGuest, crawlerVisitor, isSessionId, sessionGuest, userKey, userVisitor, type KnownUser } from './visitor.js';

/** Where presence goes out (the broadcaster): to rooms, and to one socket of this node. */
export interface PresenceSink {
  presenceTopic(event: PresenceTopic): void;
  presenceOnline(event: OnlineSnapshot): void;
  presenceDetail(event: PresenceDetail): void;
  /** To sockets that just subscribed to `event.topicId` (those that no longer are are skipped); encoded once for all. */
  presenceTopicTo(socketIds: string[], event: PresenceTopic): void;
  /** To the sockets browsing `event.forumId`'s page. */
  presenceForum(event: PresenceForum): void;
  /** To sockets that just started browsing `event.forumId` (those that no longer are are skipped). */
  presenceForumTo(socketIds: string[], event: PresenceForum): void;
  /** To sockets that just connected. */
  presenceOnlineTo(socketIds: string[], event: OnlineSnapshot): void;
  /** To moderators' sockets that just connected (anyone else's are skipped). */
  presenceDetailTo(socketIds: string[], event: PresenceDetail): void;
}

/**
 * At most one push per key per interval; the trailing push always carries the latest state.
 * A topic's interval grows with its room: every push goes to every viewer, so a room of
 * 1,000 pushed every 250 ms would cost 4,000 frames a second for presence alone.
 */
export const PRESENCE_INTERVALS = {
  topic: { minMs: 250, maxMs: 2000, smallRoom: 50, bigRoom: 1000 },
  onlineMs: 1000,
  detailMs: 1000,
  /** "Users browsing this forum", for every forum browsed on this node. */
  forumsMs: 1000,
  /** A newcomer's own view is built at once, or with others arriving within this long. */
  newcomersMs: 100,
} as const;

/** The topic interval for a room of `viewing`: 250 ms up to 50, then linear up to 2 s at 1,000. */
export function topicIntervalMs(viewing: number): number {
  const { minMs, maxMs, smallRoom, bigRoom } = PRESENCE_INTERVALS.topic;
  if (viewing <= smallRoom) return minMs;
  return Math.min(maxMs, Math.round(minMs + ((viewing - smallRoom) * (maxMs - minMs)) / (bigRoom - smallRoom)));
}
/** Socket activity refreshes `lastActive` at most this often (it is shown to the second at best). */
const TOUCH_EVERY_MS = 1000;

export interface PresenceServiceDeps {
  store: PresenceStore;
  sink: PresenceSink;
  isHidden: HiddenLookup;
  detectCrawler: CrawlerDetector;
  /** A dropped socket still counts this long, so a quick reconnect shows no leave and join. */
  graceMs: number;
  /** An HTTP visitor counts as online this long after its last request. */
  onlineWindowMs: number;
  /** The most names in `viewers` (presence:topic) and `registered` (who-is-online). */
  listLimit: number;
  logger: Logger;
  /** Each who-is-online total as computed (the board statistics keep the highest). */
  onOnlineTotal?: (total: number) => void;
  /** The titles of these topics (for moderators' detail: where each visitor is reading). */
  topicTitles?: (topicIds: string[]) => Promise<Map<string, string>>;
  /** The titles of these forums (moderators' detail: whose listing each visitor is on). */
  forumTitles?: (forumIds: string[]) => Promise<Map<string, string>>;
  now?: () => number;
}

/**
 * Who is online and who views which topic. Socket changes for one connection are applied in
 * order (a per-socket queue); every change marks what it affects, and the coalescers push
 * the recomputed views to the rooms, skipping pushes that would repeat the last one. A new
 * socket or subscriber gets the current view sent to it alone, once its change is applied,
 * so a quick reconnect (same identity, within the grace period) costs the room nothing.
 */
export function createPresenceService({ store, sink, isHidden, detectCrawler, graceMs, onlineWindowMs, listLimit, logger, onOnlineTotal, topicTitles, forumTitles, now = Date.now }: PresenceServiceDeps) {
  const onError = (err: unknown, what: unknown) => logger.error({ err, what }, 'presence update failed');

  /** Moderators' detail, each topic and forum named by its title (one read per push of each kind, of those in it). */
  async function titledDetail(ids: Awaited<ReturnType<typeof identities>>): Promise<PresenceDetail> {
    const view = presenceDetail(ids);
    const topicIds = [...new Set(view.entries.flatMap((e) => (e.topicId ? [e.topicId] : [])))];
    const forumIds = [...new Set(view.entries.flatMap((e) => (e.forumId ? [e.forumId] : [])))];
    const [topicNames, forumNames] = await Promise.all([
      topicTitles && topicIds.length ? topicTitles(topicIds) : undefined,
      forumTitles && forumIds.length ? forumTitles(forumIds) : undefined,
    ]);
    if (!topicNames && !forumNames) return view;
    return {
      entries: view.entries.map((e) => {
        const topicTitle = e.topicId && topicNames?.get(e.topicId);
        const forumTitle = e.forumId && forumNames?.get(e.forumId);
        return topicTitle ? { ...e, topicTitle } : forumTitle ? { ...e, forumTitle } : e;
      }),
    };
  }
  const enqueue = createKeyedQueue(onError);
  const capped = { limit: listLimit };
  /** The last push per topic, and how many it counted (which sets the topic's interval). */
  const lastTopic = new Map<string, { json: string; viewing: number }>();
  let lastOnline = '';
  let lastDetail = '';
  /** Forum -> this node's sockets showing its page (they hear `presence:forum`), and the reverse. */
  const browsers = new Map<string, Set<string>>();
  const browsing = new Map<string, string>();
  /** The last `presence:forum` per browsed forum. */
  const lastForum = new Map<string, string>();
  const graceTimers = new Map<string, NodeJS.Timeout>();
  const lastTouch = new Map<string, number>();
  let closed = false;

  async function identities() {
    const t = now();
    return gatherIdentities(await store.sockets(), await store.httpVisitors(t - onlineWindowMs));
  }

  const topics = createCoalescer<string>({
    intervalMs: (topicId) => topicIntervalMs(lastTopic.get(topicId)?.viewing ?? 0),
    onError,
    async run(topicId) {
      const view = topicPresence(topicId, await store.topicSockets(topicId), capped);
      const json = JSON.stringify(view);
      if (lastTopic.get(topicId)?.json === json) return;
      const viewing = viewingTotal(view);
      if (viewing === 0) lastTopic.delete(topicId);
      else lastTopic.set(topicId, { json, viewing });
      sink.presenceTopic(view);
    },
  });
  const online = createCoalescer<'online'>({
    intervalMs: PRESENCE_INTERVALS.onlineMs,
    onError,
    async run() {
      const view = onlineSnapshot(await identities(), capped);
      onOnlineTotal?.(view.total);
      const json = JSON.stringify(view);
      if (json === lastOnline) return;
      lastOnline = json;
      sink.presenceOnline(view);
    },
  });
  const detail = createCoalescer<'detail'>({
    intervalMs: PRESENCE_INTERVALS.detailMs,
    onError,
    async run() {
      const view = await titledDetail(await identities());
      const json = JSON.stringify(view);
      if (json === lastDetail) return;
      lastDetail = json;
      sink.presenceDetail(view);
    },
  });

  // Who browses each forum someone here shows: one read of everyone, at most once a second.
  const forums = createCoalescer<'forums'>({
    intervalMs: PRESENCE_INTERVALS.forumsMs,
    onError,
    async run() {
      for (const forumId of lastForum.keys()) if (!browsers.has(forumId)) lastForum.delete(forumId);
      if (browsers.size === 0) return;
      const ids = await identities();
      for (const forumId of browsers.keys()) {
        const view = forumBrowsing(forumId, ids, capped);
        const json = JSON.stringify(view);
        if (lastForum.get(forumId) === json) continue;
        lastForum.set(forumId, json);
        sink.presenceForum(view);
      }
    },
  });
  /** Stop counting a socket as showing a forum's page here (its push list only; the store keeps its place). */
  function stopBrowsing(socketId: string): void {
    const forumId = browsing.get(socketId);
    if (forumId === undefined) return;
    browsing.delete(socketId);
    const set = browsers.get(forumId);
    set?.delete(socketId);
    if (set?.size === 0) browsers.delete(forumId);
  }

  // Newcomers: the current views, to them alone.
  const connected = createNewcomerBatcher<'online', { socketId: string; moderator: boolean }>({
    gapMs: PRESENCE_INTERVALS.newcomersMs,
    onError,
    async run(_key, arrivals) {
      const ids = await identities();
      const view = onlineSnapshot(ids, capped);
      sink.presenceOnlineTo(arrivals.map((a) => a.socketId), view);
      const moderators = arrivals.filter((a) => a.moderator);
      if (moderators.length === 0) return;
      const full = await titledDetail(ids);
      sink.presenceDetailTo(moderators.map((a) => a.socketId), full);
    },
  });
  const subscribed = createNewcomerBatcher<string, string>({
    gapMs: PRESENCE_INTERVALS.newcomersMs,
    onError,
    async run(topicId, socketIds) {
      const view = topicPresence(topicId, await store.topicSockets(topicId), capped);
      sink.presenceTopicTo(socketIds, view);
    },
  });

  const browsed = createNewcomerBatcher<string, string>({
    gapMs: PRESENCE_INTERVALS.newcomersMs,
    onError,
    async run(forumId, socketIds) {
      const view = forumBrowsing(forumId, await identities(), capped);
      sink.presenceForumTo(socketIds, view);
    },
  });

  async function hiddenOf(userId: string, fresh: boolean): Promise<boolean> {
    try {
      return await isHidden(userId, { fresh });
    } catch (err) {
      // Unknown: keep them unnamed rather than expose someone who asked to be hidden.
      logger.warn({ err, userId }, 'could not read the hidden flag; treating the user as hidden');
      return true;
    }
  }

  async function removeSocket(socketId: string) {
    graceTimers.delete(socketId);
    stopBrowsing(socketId);
    lastTouch.delete(socketId);
    const gone = await store.removeSocket(socketId);
    if (!gone) return;
    for (const topicId of Object.keys(gone.topics)) topics.mark(topicId);
    online.mark('online');
    detail.mark('detail');
    forums.mark('forums');
  }

  const sweeper = setInterval(() => {
    void (async () => {
      const expired = await store.expireHttp(now() - onlineWindowMs);
      if (expired.length === 0) return;
      online.mark('online');
      detail.mark('detail');
      forums.mark('forums');
    })().catch((err) => onError(err, 'sweep'));
  }, Math.max(50, Math.min(1000, Math.floor(onlineWindowMs / 10))));
  sweeper.unref();

  return {
    detectCrawler,

    socketConnected(socketId: string, who: { user: KnownUser | null; sessionId: string; crawler: string | null }): Promise<void> {
      return enqueue(socketId, async () => {
        const visitor: Visitor = who.user
          ? userVisitor(who.user, who.user.hidden ?? (await hiddenOf(who.user.id, true)))
          : who.crawler
            ? crawlerVisitor(who.crawler)
            : sessionGuest(who.sessionId);
        const t = now();
        await store.addSocket({ socketId, visitor, since: t, lastActive: t, topics: {} });
        online.mark('online');
        detail.mark('detail');
        await connected.send('online', { socketId, moderator: policy.isModerator(who.user) });
      });
    },

    socketJoinedTopic(socketId: string, topicId: string, page?: number, forumId?: string): Promise<void> {
      return enqueue(socketId, async () => {
        if (!(await store.setSocketTopic(socketId, { topicId, forumId, page, at: now() }))) return;
        topics.mark(topicId);
        detail.mark('detail');
        forums.mark('forums');
        await subscribed.send(topicId, socketId);
      });
    },

    socketLeftTopic(socketId: string, topicId: string): Promise<void> {
      return enqueue(socketId, async () => {
        if (!(await store.clearSocketTopic(socketId, topicId))) return;
        topics.mark(topicId);
        detail.mark('detail');
        forums.mark('forums');
      });
    },

    /** A socket shows this forum's page (one forum page per socket: the latest). */
    socketBrowsesForum(socketId: string, forumId: string): Promise<void> {
      return enqueue(socketId, async () => {
        if (!(await store.setSocketForumPage(socketId, { forumId, at: now() }))) return;
        stopBrowsing(socketId);
        browsing.set(socketId, forumId);
        const set = browsers.get(forumId) ?? new Set<string>();
        set.add(socketId);
        browsers.set(forumId, set);
        forums.mark('forums');
        await browsed.send(forumId, socketId);
      });
    },

    /** The socket no longer shows this forum's page (unsubscribed, or it may no longer read it). */
    socketLeftForum(socketId: string, forumId: string): Promise<void> {
      return enqueue(socketId, async () => {
        if (browsing.get(socketId) !== forumId) return;
        stopBrowsing(socketId);
        await store.setSocketForumPage(socketId, null);
        forums.mark('forums');
      });
    },

    /** A member connected on this socket chose to be hidden, or shown again. */
    socketHidden(socketId: string, hidden: boolean): Promise<void> {
      return enqueue(socketId, async () => {
        const s = await store.setSocketHidden(socketId, hidden);
        if (!s) return;
        for (const topicId of Object.keys(s.topics)) topics.mark(topicId);
        online.mark('online');
        detail.mark('detail');
        forums.mark('forums');
      });
    },

    socketActive(socketId: string): void {
      const t = now();
      if (t - (lastTouch.get(socketId) ?? 0) < TOUCH_EVERY_MS) return;
      lastTouch.set(socketId, t);
      void enqueue(socketId, async () => {
        await store.touchSocket(socketId, t);
        detail.mark('detail');
      });
    },

    socketDisconnected(socketId: string): Promise<void> {
      stopBrowsing(socketId); // it hears nothing more; its place still counts through the grace period
      return enqueue(socketId, async () => {
        stopBrowsing(socketId); // a browse queued before the drop ran just now
        if (!(await store.markSocketDeparted(socketId, now()))) return;
        if (closed) return;
        if (graceMs <= 0) return removeSocket(socketId);
        const timer = setTimeout(() => void enqueue(socketId, () => removeSocket(socketId)), graceMs);
        timer.unref();
        graceTimers.set(socketId, timer);
      });
    },

    /**
     * One HTTP request. Identity: the token's user, else a crawler, else the session id, else IP +
     * User-Agent. `place`: the topic page or forum listing it was served, which is then where the
     * visitor is (for moderators' detail and "Users browsing this forum").
     */
    async httpActivity(req: { user: KnownUser | null; ip: string; userAgent: string; sessionId?: unknown; place?: VisitPlace }) {
      const crawler = req.user ? null : detectCrawler(req.userAgent);
      const visitor: Visitor = req.user
        ? userVisitor(req.user, req.user.hidden ?? (await hiddenOf(req.user.id, false)))
        : crawler
          ? crawlerVisitor(crawler)
          : isSessionId(req.sessionId)
            ? sessionGuest(req.sessionId)
            : addressGuest(req.ip, req.userAgent);
      const t = now();
      const place = req.place && ('topic' in req.place ? { topic: { ...req.place.topic, at: t } } : { forumPage: { ...req.place.forumPage, at: t } });
      // A guest who signs in is that member from now on (phpBB turns the session into theirs):
      // the browser's guest session stops counting at once, not an online window later. Its
      // record goes in the same step as the member's (one round trip with Redis).
      const replaces = req.user !== null && isSessionId(req.sessionId) ? sessionGuest(req.sessionId).key : undefined;
      const signedIn = await store.recordHttp(visitor, t, t - onlineWindowMs, place, replaces);
      online.mark('online');
      detail.mark('detail');
      if (place || signedIn) forums.mark('forums');
    },

    /**
     * A member logged out of one login: their requests stop counting at once (their sockets of
     * that login are being dropped and leave after the grace period; other logins' sockets stay).
     */
    async loggedOut(userId: string) {
      if (!(await store.forgetHttp(userKey(userId)))) return;
      online.mark('online');
      detail.mark('detail');
      forums.mark('forums');
    },

    /** The who-is-online snapshot as of now (capped as the pushes are); moderators also see hidden members, flagged. */
    async online(viewer: AuthUser | null): Promise<OnlineSnapshot> {
      return onlineSnapshot(await identities(), { ...capped, showHidden: policy.isModerator(viewer) });
    },

    /** Presence changed on another node (or a node came or went): recompute these views, push what differs. */
    refresh(change: { topics: Iterable<string>; online: boolean }): void {
      if (closed) return;
      for (const topicId of change.topics) topics.mark(topicId);
      if (change.online) online.mark('online');
      detail.mark('detail');
      forums.mark('forums');
    },

    close() {
      closed = true;
      clearInterval(sweeper);
      for (const timer of graceTimers.values()) clearTimeout(timer);
      graceTimers.clear();
      topics.close();
      online.close();
      detail.close();
      forums.close();
      connected.close();
      subscribed.close();
      browsed.close();
    },
  };
}
export type PresenceService = ReturnType<typeof createPresenceService>;
