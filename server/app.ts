import http from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Models } from './models/index.js';
import type { ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData } from '../shared/events.js';
import { createServices } from './services/index.js';
import { startMaintenance } from './services/maintenance.js';
import { createBroadcaster } from './realtime/broadcaster.js';
import { attachRedisAdapter, shareAccessCacheForgets, shareNotificationForgets, shareWatchChanges } from './realtime/redis-adapter.js';
import type { RedisConnection } from './db/redis.js';
import { installSocketAuth } from './realtime/socket-auth.js';
import { createSessions } from './realtime/sessions.js';
import { createEndedLogins } from './services/ended-logins.js';
import { createAnnouncementPush, createConversationPush, createNotificationPush, createReportPush, createQueuePush } from './realtime/member-push.js';
import { createPollPush } from './realtime/poll-push.js';
import { handleConnections } from './realtime/connection.js';
import { createPresenceHooks } from './realtime/presence.handlers.js';
import { createPresence } from './presence/index.js';
import { createAccessEnforcer } from './realtime/access-enforcer.js';
import { createAccessService } from './services/access.service.js';
import { requestUser } from './http/request-user.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { authRoutes } from './http/auth.routes.js';
import { forumRoutes } from './http/forum.routes.js';
import { topicRoutes } from './http/topic.routes.js';
import { postRoutes } from './http/post.routes.js';
import { userRoutes } from './http/user.routes.js';
import { thanksRoutes } from './http/thanks.routes.js';
import { profileRoutes } from './http/profile.routes.js';
import { onlineRoutes } from './http/online.routes.js';
import { webRoutes } from './http/web.routes.js';
import { feedRoutes } from './http/feed.routes.js';
import { recordActivity } from './http/activity.js';
import { recordLastActive } from './http/last-active.js';
import { countTopicViews } from './http/topic-views.js';
import { botRoutes } from './http/bot.routes.js';
import { moderationRoutes } from './http/moderation.routes.js';
import { warningRoutes } from './http/warning.routes.js';
import { searchRoutes } from './http/search.routes.js';
import { notificationRoutes } from './http/notification.routes.js';
import { conversationRoutes } from './http/conversation.routes.js';
import { reportRoutes } from './http/report.routes.js';
import { pollRoutes } from './http/poll.routes.js';
import { solutionRoutes } from './http/solution.routes.js';
import { attachmentFileRoute, attachmentRoutes } from './http/attachment.routes.js';
import { bookmarkRoutes } from './http/bookmark.routes.js';
import { queueRoutes } from './http/queue.routes.js';
import { securityHeaders, restCors, socketCors } from './http/security.js';
import { createRestRateLimit } from './http/rate-limit.js';
import { jsonDepthGuard } from './http/json-depth.js';
import { installSocketLimits } from './realtime/rate-limit.js';
import { installClientAddress, type TrustFn } from './client-address.js';

/** A JSON body holds at most a 60,000-character post, escaped; anything larger is refused early. */
const MAX_BODY_BYTES = 300 * 1024;

export interface AppDeps {
  config: Config;
  logger: Logger;
  models: Models;
  /** Multi-node mode (main.ts connects it when REDIS_URL is set): rooms and presence shared through Redis. */
  redis?: RedisConnection;
}

/** How long `close()` lets HTTP requests in flight finish before it cuts their connections. */
const SHUTDOWN_GRACE_MS = 2_000;

/** Build the HTTP server and Socket.IO server. Does not listen; `close()` is safe to call twice. */
export function createApp({ config, logger, models, redis }: AppDeps) {
  const app = express();
  const httpServer = http.createServer(app);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    maxHttpBufferSize: MAX_BODY_BYTES,
    serveClient: false,
    cors: socketCors(config),
  });
  // Nodes of one board share Redis keys and channels under this prefix (one Redis may serve several boards).
  const redisPrefix = `forum:${config.dbName}`;
  const stopAdapter = redis ? attachRedisAdapter(io, redis, { key: `${redisPrefix}:socket.io`, logger }) : () => {};
  const broadcaster = createBroadcaster(io, { batched: !redis, batchGapMs: config.fanoutBatchMs, recent: { perTopic: config.recentEventsPerTopic, topics: config.recentEventsTopics } });
  const endedLogins = createEndedLogins();
  const sessions = createSessions(io, logger, endedLogins);
  // Each who-is-online total goes to the board statistics (made below with the services; the
  // first total comes after this function has returned).
  const presence = createPresence({ config, logger, models, sink: broadcaster, redis: redis && { connection: redis, prefix: redisPrefix }, onOnlineTotal: (total) => services.boardStats.noteOnline(total) });
  const presenceHooks = createPresenceHooks({ presence: presence.service, typing: presence.typing, logger });
  // Takes sockets out of rooms they may no longer read (its lookups need only the models).
  const accessChanges = createAccessEnforcer({ io, access: createAccessService({ models }), presence: presenceHooks, logger, written: broadcaster.written });
  // A poll's push reads the poll through its service (made just below; the first push comes later).
  const pollPush = createPollPush(io, (topicId) => services.polls.publicView(topicId), logger.child({ part: 'poll-push' }));
  const services = createServices({ models, config, logger, sink: broadcaster, recent: broadcaster.recent, sessions, accessChanges, notificationSink: createNotificationPush(io), conversationSink: createConversationPush(io), reportSink: createReportPush(io), pollSink: pollPush, queueSink: createQueuePush(io), announcementSink: createAnnouncementPush(io) });
  const stopMaintenance = startMaintenance({ eventLog: services.eventLog, attachments: services.attachments, logger });
  if (redis) {
    shareAccessCacheForgets(io, services.accessCache, logger);
    shareNotificationForgets(io, services.notifications, logger);
    shareWatchChanges(io, services.watches, logger);
  }

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy); // req.ip through TRUST_PROXY's proxies (sockets: installClientAddress)
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use('/api', restCors(config));
  app.use(express.json({ limit: MAX_BODY_BYTES }));
  const rateLimit = createRestRateLimit({ config, logger, redis: redis?.client, keyPrefix: `${redisPrefix}:rl` });
  const api = express.Router();
  api.use(rateLimit.perIp);
  api.use(jsonDepthGuard());
  api.use(recordActivity(presence.service, logger, endedLogins));
  api.use(countTopicViews(services.topicViews, presence.service.detectCrawler));
  api.use(recordLastActive(services.lastActive));
  api.use(requestUser(services.tokens));
  api.use(rateLimit.perUser);
  api.use(onlineRoutes(presence.service, services.boardStats));
  api.use(authRoutes(services));
  api.use(forumRoutes(services));
  api.use(topicRoutes(services));
  api.use(postRoutes(services));
  api.use(thanksRoutes(services));
  api.use(attachmentRoutes(services, config, rateLimit.upload));
  api.use(profileRoutes(services));
  api.use(userRoutes(services));
  api.use(botRoutes(services));
  api.use(moderationRoutes(services));
  api.use(warningRoutes(services));
  api.use(searchRoutes(services, rateLimit.search));
  api.use(notificationRoutes(services));
  api.use(conversationRoutes(services));
  api.use(reportRoutes(services));
  api.use(pollRoutes(services));
  api.use(solutionRoutes(services));
  api.use(bookmarkRoutes(services));
  api.use(queueRoutes(services));
  app.use('/api/v1', api);
  app.use(attachmentFileRoute(services)); // uploaded files, linked from posts
  app.use(feedRoutes(services, config, rateLimit.perIp)); // Atom feeds beside the pages they follow
  app.use(webRoutes()); // the browser client (client/web/dist) and its page routes
  app.use('/api', notFoundHandler);
  app.use(errorHandler(logger));

  installClientAddress(io, config.trustProxy === false ? null : (app.get('trust proxy fn') as TrustFn));
  installSocketAuth(io, services.tokens, logger);
  const admitCommand = installSocketLimits(io, config, logger);
  handleConnections(io, {
    logger,
    services,
    presence: presenceHooks,
    typing: presence.typing,
  }, admitCommand);

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      stopMaintenance();
      const presenceClosed = presence.close();
      broadcaster.close();
      pollPush.close();
      stopAdapter();
      io.local.disconnectSockets(true); // this node's sockets only, never the whole cluster's
      // Requests in flight get a moment to finish; then their connections are cut, so that one
      // request that does not end cannot hold the shutdown (or a restart) up.
      const cut = setTimeout(() => httpServer.closeAllConnections?.(), SHUTDOWN_GRACE_MS);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      clearTimeout(cut);
      httpServer.closeAllConnections?.();
      await services.unread.flush(); // own posts' held read marks, before the database closes
      await services.topicViews.close(); // views counted since the last write
      await services.lastActive.close(); // members seen since the last write (the sockets just closed included)
      await presenceClosed; // before main.ts closes the Redis connections
    })();
    return closing;
  }

  return { app, httpServer, io, services, broadcaster, presence, close };
}
export type ForumApp = ReturnType<typeof createApp>;
