import type { Socket } from 'socket.io';

/** Shared by every connection's emptied handshake fields. */
const NOTHING = Object.freeze({}) as Record<string, never>;

/**
 * What an idle connection keeps. By the time a socket is connected, everything read from its
 * handshake has been read: the token (socket-auth), the IP (rate limits), the User-Agent
 * (presence, for crawlers). Socket.IO would still hold the upgrade request, its headers,
 * query and the token for the life of the connection; drop them, as Socket.IO's memory notes
 * suggest for servers with many connections (`rawSocket.request = null`).
 *
 * Engine.IO's WebSocket path also keeps the request object itself (see dropUpgradeResponse), so
 * its header lists are emptied too.
 */
export function shedHandshake(socket: Socket): void {
  const conn = socket.conn as unknown as { request: { headers: unknown; rawHeaders: unknown } | null };
  const request = conn.request;
  conn.request = null;
  if (request) {
    request.headers = NOTHING;
    request.rawHeaders = [];
  }
  socket.handshake.headers = NOTHING;
  socket.handshake.query = NOTHING;
  socket.handshake.auth = NOTHING;
  socket.handshake.url = '';
  socket.handshake.time = ''; // `issued` keeps the time, as a number
  dropUpgradeResponse(socket);
}

/** Source of the listener Engine.IO's WebSocketResponse puts on the TCP socket (engine.io 6.x, server.js). */
const RESPONSE_CLOSE_RELAY = '() => this.emit("close")';

/**
 * Engine.IO builds a stand-in HTTP response for each WebSocket upgrade, for its middlewares
 * (`io.engine.use`, which this server does not use), and relays the TCP socket's 'close' to it.
 * That relay keeps the response, and through it the whole upgrade request, for the life of the
 * connection. Remove just that listener (matched by its source; if a later engine.io changes
 * it, nothing is removed and only the memory stays).
 */
export function dropUpgradeResponse(socket: Socket): void {
  const tcp = (socket.conn as unknown as { transport?: { socket?: { _socket?: NodeJS.EventEmitter } } }).transport?.socket?._socket;
  if (!tcp) return;
  for (const listener of tcp.rawListeners('close')) {
    const original = (listener as { listener?: unknown }).listener ?? listener;
    if (typeof original === 'function' && String(original) === RESPONSE_CLOSE_RELAY) tcp.removeListener('close', listener as () => void);
  }
}
