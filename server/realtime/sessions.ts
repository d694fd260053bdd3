import type { Logger } from 'pino';
import { room } from '../../shared/rooms.js';
import type { ForumServer } from './broadcaster.js';
import type { AuthUser } from '../services/token.service.js';
import type { TokenRevocations } from '../services/api-token.service.js';

/**
 * Live connections by API token. Each socket authenticated with a token joins that token's
 * room; revoking the token disconnects the room at once. A socket whose handshake passed just
 * before the revocation but connects just after it is caught by the revoked set.
 */
export function createSessions(io: ForumServer, logger: Logger): TokenRevocations {
  const revoked = new Set<string>();

  io.on('connection', (socket) => {
    const tokenId = (socket.data.user as AuthUser | null)?.tokenId;
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
    userTokensRevoked(userId: string) {
      io.in(room.user(userId)).disconnectSockets(true); // every node's, through the adapter
      logger.info({ userId }, 'login tokens revoked: the user\'s connections were dropped');
    },
  };
}
