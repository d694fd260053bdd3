import type { Logger } from 'pino';
import { room } from '../../shared/rooms.js';
import type { ForumServer } from './broadcaster.js';
import type { AuthUser } from '../services/token.service.js';
import type { TokenRevocations } from '../services/api-token.service.js';
import type { EndedLogins } from '../services/ended-logins.js';

/**
 * Live connections by API token and by login. Each socket authenticated with an API token joins
 * that token's room; revoking the token disconnects the room at once. A member's login that ends
 * (logout) drops the sockets it opened, found among the member's sockets on every node. A socket
 * whose handshake passed just before the revocation but connects just after it is caught by the
 * sets of what was revoked here.
 */
export function createSessions(io: ForumServer, logger: Logger, endedLogins: EndedLogins): TokenRevocations {
  const revoked = new Set<string>();

  io.on('connection', (socket) => {
    const user = socket.data.user as AuthUser | null;
    if (endedLogins.has(user?.loginId)) {
      socket.disconnect(true);
      return;
    }
    const tokenId = user?.tokenId;
    if (!tokenId) return;
    if (revoked.has(tokenId)) {
      socket.disconnect(true);
      return;
    }
    void socket.join(room.apiToken(tokenId));
  });

  return {
    tokenRevoked(tokenId: string) {
      revoked.add(tokenId);
      io.in(room.apiToken(tokenId)).disconnectSockets(true);
      logger.info({ tokenId }, 'API token revoked: its connections were dropped');
    },
    loginRevoked(userId: string, loginId: string) {
      endedLogins.add(loginId);
      // The member's sockets on every node (through the adapter); those of this login go.
      void io
        .in(room.user(userId))
        .fetchSockets()
        .then((sockets) => {
          for (const s of sockets) if ((s.data.user as AuthUser | null)?.loginId === loginId) s.disconnect(true);
        })
        .catch((err) => logger.warn({ err, userId }, 'could not reach every node to drop a logged-out login\'s sockets'));
      logger.info({ userId }, 'a login ended: its connections were dropped');
    },
    userTokensRevoked(userId: string) {
      io.in(room.user(userId)).disconnectSockets(true); // every node's, through the adapter
      logger.info({ userId }, 'login tokens revoked: the user\'s connections were dropped');
    },
  };
}
