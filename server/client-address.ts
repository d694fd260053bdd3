import proxyaddr from 'proxy-addr';
import type { IncomingMessage } from 'node:http';
import type { ForumServer } from './realtime/broadcaster.js';

/**
 * Which proxies in front of the server may say who the client is (X-Forwarded-For), in the
 * terms of Express's `trust proxy`: false (none: the peer is the client), true (any, only when
 * nothing reaches the server but through the proxy), a number of hops, or addresses and
 * subnets (`loopback`, `10.0.0.0/8`, ...).
 */
export type TrustProxy = boolean | number | string[];

/** TRUST_PROXY's text as a setting; throws on an address or subnet proxy-addr cannot read. */
export function parseTrustProxy(raw: string): TrustProxy {
  const text = raw.trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((part) => part.trim()).filter(Boolean);
  proxyaddr.compile(list); // throws TypeError on an invalid entry
  return list;
}

/** Express's compiled form of its `trust proxy` setting (`app.get('trust proxy fn')`). */
export type TrustFn = (address: string, hop: number) => boolean;

/**
 * Socket.IO's counterpart of Express's `req.ip`: each handshake's `address` becomes the client's
 * as read through the trusted proxies, with the very function Express reads `req.ip` with,
 * before anything (the per-IP connection cap) reads it. Install before every other middleware.
 * `null` (no proxy trusted): nothing to do.
 */
export function installClientAddress(io: ForumServer, trust: TrustFn | null): void {
  if (!trust) return;
  io.use((socket, next) => {
    socket.handshake.address = proxyaddr(socket.request as IncomingMessage, trust);
    next();
  });
}
