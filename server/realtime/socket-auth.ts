import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ForumServer } from './broadcaster.js';
import type { TokenService } from '../services/token.service.js';

/**
 * Handshake: `auth: { token }` or nothing (a guest). A bad token is refused with
 * connect_error "UNAUTHORIZED", never downgraded to guest. Tokens in the query string
 * are refused too, so they never end up in access logs.
 */
export function installSocketAuth(io: ForumServer, tokens: TokenService, logger: Logger) {
  io.use(async (socket, next) => {
    const query = socket.handshake.query as Record<string, unknown>;
    if ('token' in query || 'access_token' in query) return next(new Error('UNAUTHORIZED'));
    const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
    const token = auth.token;
    // A guest's presence key when it sends none. Hex from the native encoder is one flat string;
    // randomUUID() builds its own from some twenty concatenated parts, ~0.5 KB per idle socket.
    const sessionId = typeof auth.sessionId === 'string' && /^[\w-]{8,64}$/.test(auth.sessionId) ? auth.sessionId : randomBytes(16).toString('hex');
    socket.data.sessionId = sessionId;
    socket.data.crawler = null;
    if (token === undefined || token === null || token === '') {
      socket.data.user = null;
      return next();
    }
    if (typeof token !== 'string' || token.length > 4096) return next(new Error('UNAUTHORIZED'));
    try {
      socket.data.user = await tokens.verify(token);
      next();
    } catch (err) {
      logger.debug({ err }, 'socket handshake refused');
      next(new Error('UNAUTHORIZED'));
    }
  });
}
