import type { Socket } from 'socket.io';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import type { ForumServer } from './broadcaster.js';
import type { ErrorBody } from '../../shared/errors.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../http/json-depth.js';

/**
 * Socket abuse limits, all node-local (a connection lives on one node):
 * - at most MAX_CONNECTIONS_PER_IP concurrent sockets per IP (connect_error "RATE_LIMITED");
 * - at most RATE_SOCKET_POINTS commands per second per connection: an over-limit command with
 *   an ack gets `{ok:false, error:{code:'RATE_LIMITED', retryAfterMs}}`, one without is dropped;
 * - payloads nested deeper than MAX_JSON_DEPTH are refused with BAD_REQUEST.
 * Install after the auth middleware, so refused handshakes never hold a connection slot.
 */
export function installSocketLimits(io: ForumServer, config: Config, logger: Logger) {
  const perIp = new Map<string, number>();
  const commands = new RateLimiterMemory({ points: config.rateSocketPoints, duration: 1, keyPrefix: 'rl:socket' });

  io.use((socket, next) => {
    const ip = socket.handshake.address || 'unknown';
    const open = perIp.get(ip) ?? 0;
    if (open >= config.maxConnectionsPerIp) {
      logger.debug({ ip, open }, 'socket refused: too many connections from this IP');
      return next(new Error('RATE_LIMITED'));
    }
    perIp.set(ip, open + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left <= 0) perIp.delete(ip);
      else perIp.set(ip, left);
    };
    // 'disconnect' covers a normal end; the transport's close covers a socket that never connected.
    socket.on('disconnect', release);
    socket.conn.once('close', release);
    next();
  });

  /** Per-packet guard for one connection (call from the connection handler). */
  return function guardPackets(socket: Socket) {
    socket.use((packet, next) => {
      const last = packet[packet.length - 1];
      const reply = typeof last === 'function' ? (last as (a: { ok: false; error: ErrorBody }) => void) : null;
      const args = reply ? packet.slice(1, -1) : packet.slice(1);
      if (args.some((a) => exceedsDepth(a, MAX_JSON_DEPTH))) {
        reply?.({ ok: false, error: { code: 'BAD_REQUEST', message: `Payload nested deeper than ${MAX_JSON_DEPTH} levels` } });
        return;
      }
      commands.consume(socket.id).then(
        () => next(),
        (rejected: unknown) => {
          if (!(rejected instanceof RateLimiterRes)) return next(); // memory store never fails; be safe
          const retryAfterMs = Math.max(1, rejected.msBeforeNext);
          reply?.({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many commands, slow down', retryAfterMs } });
        },
      );
    });
  };
}
