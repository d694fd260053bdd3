import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { ForumServer } from './broadcaster.js';
import type { ErrorBody } from '../../shared/errors.js';
import type { AdmitCommand } from './handler-kit.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../http/json-depth.js';

/** The engine connection of a socket, as far as counting per IP needs it. */
type Conn = Socket['conn'];

/**
 * Socket abuse limits, all node-local (a connection lives on one node):
 * - at most MAX_CONNECTIONS_PER_IP concurrent sockets per IP (connect_error "RATE_LIMITED");
 * - at most RATE_SOCKET_POINTS commands per second per connection: an over-limit command
 *   gets `{ok:false, error:{code:'RATE_LIMITED', retryAfterMs}}`;
 * - payloads nested deeper than MAX_JSON_DEPTH are refused with BAD_REQUEST.
 * Install after the auth middleware, so refused handshakes never hold a connection slot.
 * Returns the check each command passes before it runs (see handler-kit).
 */
export function installSocketLimits(io: ForumServer, config: Config, logger: Logger): AdmitCommand {
  const perIp = new Map<string, number>();
  /** Connections holding a slot, with the IP it was counted under. */
  const counted = new WeakMap<Conn, string>();
  const commands = new RateLimiterMemory({ points: config.rateSocketPoints, duration: 1, keyPrefix: 'rl:socket' });

  const release = (conn: Conn) => {
    const ip = counted.get(conn);
    if (ip === undefined) return;
    counted.delete(conn);
    const left = (perIp.get(ip) ?? 1) - 1;
    if (left <= 0) perIp.delete(ip);
    else perIp.set(ip, left);
  };
  // Shared by every socket (`this` is the socket, or its engine connection): no closure each.
  const releaseOnDisconnect = function (this: Socket) {
    release(this.conn);
  };
  const releaseOnClose = function (this: Conn) {
    release(this);
  };

  // Until the socket connects, the transport's close frees its slot; from then on its
  // 'disconnect' does (which always follows a close), so only one listener stays per socket.
  io.on('connection', (socket) => {
    socket.conn.off('close', releaseOnClose);
    socket.on('disconnect', releaseOnDisconnect);
  });

  io.use((socket, next) => {
    if (counted.has(socket.conn)) return next(); // one slot per connection, whatever it multiplexes
    const ip = socket.handshake.address || 'unknown';
    const open = perIp.get(ip) ?? 0;
    if (open >= config.maxConnectionsPerIp) {
      logger.debug({ ip, open }, 'socket refused: too many connections from this IP');
      return next(new Error('RATE_LIMITED'));
    }
    perIp.set(ip, open + 1);
    counted.set(socket.conn, ip);
    socket.conn.once('close', releaseOnClose);
    next();
  });

  return async (socket, payload) => {
    if (exceedsDepth(payload, MAX_JSON_DEPTH)) return { code: 'BAD_REQUEST', message: `Payload nested deeper than ${MAX_JSON_DEPTH} levels` };
    try {
      await commands.consume(socket.id);
      return null;
    } catch (rejected) {
      if (!(rejected instanceof RateLimiterRes)) return null; // memory store never fails; be safe
      const refusal: ErrorBody = { code: 'RATE_LIMITED', message: 'Too many commands, slow down', retryAfterMs: Math.max(1, rejected.msBeforeNext) };
      return refusal;
    }
  };
}
