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
 * Engine.IO's WebSocket path also keeps the request object itself (a 'close' listener on the
 * TCP socket refers to it), so its header lists are emptied too.
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
}
