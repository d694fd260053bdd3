import http from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Models } from './models/index.js';
import type { ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData } from '../shared/events.js';
import { createServices } from './services/index.js';
import { createBroadcaster } from './realtime/broadcaster.js';
import { installSocketAuth } from './realtime/socket-auth.js';
import { handleConnections } from './realtime/connection.js';
import { noPresence } from './realtime/context.js';
import { requestUser } from './http/request-user.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { authRoutes } from './http/auth.routes.js';
import { forumRoutes } from './http/forum.routes.js';
import { topicRoutes } from './http/topic.routes.js';
import { postRoutes } from './http/post.routes.js';
import { userRoutes } from './http/user.routes.js';

/** A JSON body holds at most a 60,000-character post, escaped; anything larger is refused early. */
const MAX_BODY_BYTES = 300 * 1024;

export interface AppDeps {
  config: Config;
  logger: Logger;
  models: Models;
}

/** Build the HTTP server and Socket.IO server. Does not listen; `close()` is safe to call twice. */
export function createApp({ config, logger, models }: AppDeps) {
  const app = express();
  const httpServer = http.createServer(app);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    maxHttpBufferSize: MAX_BODY_BYTES,
    serveClient: false,
  });
  const broadcaster = createBroadcaster(io);
  const services = createServices({ models, config, logger, sink: broadcaster });

  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: MAX_BODY_BYTES }));
  const api = express.Router();
  api.use(requestUser(services.tokens));
  api.use(authRoutes(services));
  api.use(forumRoutes(services));
  api.use(topicRoutes(services));
  api.use(postRoutes(services));
  api.use(userRoutes(services));
  app.use('/api/v1', api);
  app.use('/api', notFoundHandler);
  app.use(errorHandler(logger));

  installSocketAuth(io, services.tokens, logger);
  handleConnections(io, { logger, services, presence: noPresence });

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      broadcaster.close();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections?.();
    })();
    return closing;
  }

  return { app, httpServer, io, services, broadcaster, close };
}
export type ForumApp = ReturnType<typeof createApp>;
