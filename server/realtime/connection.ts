import type { Logger } from 'pino';
import { room } from '../../shared/rooms.js';
import type { ForumServer } from './broadcaster.js';
import type { RealtimeContext } from './context.js';
import { registerSubscriptionHandlers } from './subscription.handlers.js';
import { registerPostHandlers } from './post.handlers.js';
import { registerTypingHandlers } from './typing.handlers.js';
import { registerThanksHandlers } from './thanks.handlers.js';
import type { Socket as ForumSocketLike } from 'socket.io';

/** Wire every handler onto each new connection. */
export function handleConnections(io: ForumServer, base: RealtimeContext, guardPackets?: (socket: ForumSocketLike) => void) {
  io.on('connection', (socket) => {
    guardPackets?.(socket as unknown as ForumSocketLike); // rate limit + payload depth, before any handler runs
    const logger: Logger = base.logger.child({ socket: socket.id, user: socket.data.user?.username ?? 'guest' });
    const ctx: RealtimeContext = { ...base, logger };
    const user = socket.data.user;
    void socket.join(room.everyone());
    if (user) void socket.join(room.user(user.id));
    if (user && (user.role === 'moderator' || user.role === 'admin')) void socket.join(room.moderators());
    registerSubscriptionHandlers(socket, ctx);
    registerPostHandlers(socket, ctx);
    registerTypingHandlers(socket, ctx);
    registerThanksHandlers(socket, ctx);
    base.presence.connected(socket);
    socket.on('disconnect', () => base.presence.disconnected(socket));
  });
}
