import type { Socket } from 'socket.io';
import { room } from '../../shared/rooms.js';
import type { ForumServer } from './broadcaster.js';
import type { RealtimeContext } from './context.js';
import { commandRouter, type AdmitCommand } from './handler-kit.js';
import { subscriptionCommands } from './subscription.handlers.js';
import { postCommands } from './post.handlers.js';
import { typingCommands } from './typing.handlers.js';
import { thanksCommands } from './thanks.handlers.js';
import { shedHandshake } from './idle-footprint.js';
import type { AuthUser } from '../services/token.service.js';
import { policy } from '../services/policy.js';

/**
 * Wire every command onto each new connection. The command router is built once for the
 * server and shared: a connection costs its Socket.IO objects and little else (see idle-footprint).
 */
export function handleConnections(io: ForumServer, base: RealtimeContext, admit?: AdmitCommand) {
  const commands = [...subscriptionCommands(base), ...postCommands(base), ...typingCommands(base), ...thanksCommands(base)];
  const route = commandRouter(commands, base.logger, admit);
  const disconnected = function (this: Socket) {
    base.presence.disconnected(this);
    const left = this.data.user as AuthUser | null;
    // phpBB's "Last active": when they left (while connected, who-is-online shows them; their
    // page loads are REST requests, which count too). Not on connect: a thousand sockets arriving
    // would each cost a write.
    if (left) base.services.lastActive.touch(left.id);
  };
  io.on('connection', (socket) => {
    const user = socket.data.user as AuthUser | null;
    if (user) void socket.join(room.user(user.id));
    if (user && (user.forums?.length || !policy.hasScope(user, 'read'))) void socket.join(room.partialTokens());
    if (user && (user.role === 'moderator' || user.role === 'admin')) void socket.join(room.moderators());
    socket.onAny(route);
    base.presence.connected(socket as unknown as Socket);
    socket.on('disconnect', disconnected);
    shedHandshake(socket as unknown as Socket);
  });
}
