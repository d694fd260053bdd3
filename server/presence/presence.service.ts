import type { Logger } from 'pino';
import type { OnlineSnapshot, PresenceDetail, PresenceTopic } from '../../shared/schemas.js';
import { policy } from '../services/policy.js';
import type { AuthUser } from '../services/token.service.js';
import { createCoalescer } from './coalescer.js';
import type { CrawlerDetector } from './crawlers.js';
import type { HiddenLookup } from './hidden-lookup.js';
import { createKeyedQueue } from './keyed-queue.js';
import type { PresenceStore, Visitor } from './presence-store.js';
import { gatherIdentities, onlineSnapshot, presenceDetail, topicPresence } from './presence-views.js';
import { addressGuest, crawlerVisitor, isSessionId, sessionGuest, userVisitor, type KnownUser } from './visitor.js';

/** Where presence goes out (the broadcaster). */
export interface PresenceSink {
  presenceTopic(event: PresenceTopic): void;
  presenceOnline(event: OnlineSnapshot): void;
  presenceDetail(event: PresenceDetail): void;
}

/** At most one push per key per interval; the trailing push always carries the latest state. */
export const PRESENCE_INTERVALS = { topicMs: 250, onlineMs: 1000, detailMs: 1000 } as const;
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
  logger: Logger;
  now?: () => number;
}

/**
 * Who is online and who views which topic. Socket changes for one connection are applied in
 * order (a per-socket queue); every change marks what it affects, and the coalescers push
 * the recomputed views, skipping pushes that would repeat the last one unless asked to
 * (a new socket or subscriber needs the current state even when nothing changed).
 */
export function createPresenceService({ store, sink, isHidden, detectCrawler, graceMs, onlineWindowMs, logger, now = Date.now }: PresenceServiceDeps) {
  const onError = (err: unknown, what: unknown) => logger.error({ err, what }, 'presence update failed');
  const enqueue = createKeyedQueue(onError);
  const lastTopic = new Map<string, string>();
  let lastOnline = '';
  let lastDetail = '';
  const graceTimers = new Map<string, NodeJS.Timeout>();
  const lastTouch = new Map<string, number>();
  let closed = false;

  async function identities() {
    const t = now();
    return gatherIdentities(await store.sockets(), await store.httpVisitors(t - onlineWindowMs));
  }

  const topics = createCoalescer<string>({
    intervalMs: PRESENCE_INTERVALS.topicMs,
    onError,
    async run(topicId, forced) {
      const view = topicPresence(topicId, await store.topicSockets(topicId));
      const json = JSON.stringify(view);
      if (!forced && lastTopic.get(topicId) === json) return;
      if (view.viewers.length + view.guestCount + view.bots.length + (view.hiddenCount ?? 0) === 0) lastTopic.delete(topicId);
      else lastTopic.set(topicId, json);
      sink.presenceTopic(view);
    },
  });
  const online = createCoalescer<'online'>({
    intervalMs: PRESENCE_INTERVALS.onlineMs,
    onError,
    async run(_key, forced) {
      const view = onlineSnapshot(await identities());
      const json = JSON.stringify(view);
      if (!forced && json === lastOnline) return;
      lastOnline = json;
      sink.presenceOnline(view);
    },
  });
  const detail = createCoalescer<'detail'>({
    intervalMs: PRESENCE_INTERVALS.detailMs,
    onError,
    async run(_key, forced) {
      const view = presenceDetail(await identities());
      const json = JSON.stringify(view);
      if (!forced && json === lastDetail) return;
      lastDetail = json;
      sink.presenceDetail(view);
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
    lastTouch.delete(socketId);
    const gone = await store.removeSocket(socketId);
    if (!gone) return;
    for (const topicId of Object.keys(gone.topics)) topics.mark(topicId);
    online.mark('online');
    detail.mark('detail');
  }

  const sweeper = setInterval(() => {
    void (async () => {
      const expired = await store.expireHttp(now() - onlineWindowMs);
      if (expired.length === 0) return;
      online.mark('online');
      detail.mark('detail');
    })().catch((err) => onError(err, 'sweep'));
  }, Math.max(50, Math.min(1000, Math.floor(onlineWindowMs / 10))));
  sweeper.unref();

  return {
    detectCrawler,

    socketConnected(socketId: string, who: { user: KnownUser | null; sessionId: string; crawler: string | null }): Promise<void> {
      return enqueue(socketId, async () => {
        const visitor: Visitor = who.user
          ? userVisitor(who.user, await hiddenOf(who.user.id, true))
          : who.crawler
            ? crawlerVisitor(who.crawler)
            : sessionGuest(who.sessionId);
        const t = now();
        await store.addSocket({ socketId, visitor, since: t, lastActive: t, topics: {} });
        online.mark('online', true);
        detail.mark('detail', true);
      });
    },

    socketJoinedTopic(socketId: string, topicId: string, page?: number): Promise<void> {
      return enqueue(socketId, async () => {
        if (!(await store.setSocketTopic(socketId, { topicId, page, at: now() }))) return;
        topics.mark(topicId, true);
        detail.mark('detail');
      });
    },

    socketLeftTopic(socketId: string, topicId: string): Promise<void> {
      return enqueue(socketId, async () => {
        if (!(await store.clearSocketTopic(socketId, topicId))) return;
        topics.mark(topicId);
        detail.mark('detail');
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
      return enqueue(socketId, async () => {
        if (!(await store.markSocketDeparted(socketId, now()))) return;
        if (closed) return;
        if (graceMs <= 0) return removeSocket(socketId);
        const timer = setTimeout(() => void enqueue(socketId, () => removeSocket(socketId)), graceMs);
        timer.unref();
        graceTimers.set(socketId, timer);
      });
    },

    /** One HTTP request. Identity: the token's user, else a crawler, else the session id, else IP + User-Agent. */
    async httpActivity(req: { user: KnownUser | null; ip: string; userAgent: string; sessionId?: unknown; topic?: { topicId: string; page?: number } }) {
      const crawler = req.user ? null : detectCrawler(req.userAgent);
      const visitor: Visitor = req.user
        ? userVisitor(req.user, await hiddenOf(req.user.id, false))
        : crawler
          ? crawlerVisitor(crawler)
          : isSessionId(req.sessionId)
            ? sessionGuest(req.sessionId)
            : addressGuest(req.ip, req.userAgent);
      const t = now();
      await store.recordHttp(visitor, t, t - onlineWindowMs, req.topic ? { ...req.topic, at: t } : undefined);
      online.mark('online');
      detail.mark('detail');
    },

    /** The who-is-online snapshot as of now; moderators also see hidden members, flagged. */
    async online(viewer: AuthUser | null): Promise<OnlineSnapshot> {
      return onlineSnapshot(await identities(), policy.isModerator(viewer));
    },

    /** Presence changed on another node (or a node came or went): recompute these views, push what differs. */
    refresh(change: { topics: Iterable<string>; online: boolean }): void {
      if (closed) return;
      for (const topicId of change.topics) topics.mark(topicId);
      if (change.online) online.mark('online');
      detail.mark('detail');
    },

    close() {
      closed = true;
      clearInterval(sweeper);
      for (const timer of graceTimers.values()) clearTimeout(timer);
      graceTimers.clear();
      topics.close();
      online.close();
      detail.close();
    },
  };
}
export type PresenceService = ReturnType<typeof createPresenceService>;
