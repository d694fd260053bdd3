import { io as ioClient, type Socket } from 'socket.io-client';
import type { TestSocket } from './server.js';

/** Every event of one name a socket receives, with arrival times, and a way to wait for one. */
export function watch<T = any>(socket: TestSocket, event: string) {
  const seen: { at: number; data: T }[] = [];
  const waiters: { pred: (e: T) => boolean; resolve: (e: T) => void }[] = [];
  const on = (data: T) => {
    seen.push({ at: Date.now(), data });
    for (const w of [...waiters]) {
      if (w.pred(data)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(data);
      }
    }
  };
  (socket as unknown as Socket).on(event, on);
  return {
    seen,
    latest: (): T | undefined => seen.at(-1)?.data,
    since: (t: number) => seen.filter((e) => e.at >= t),
    /** The latest event if it matches, else the next one that does. */
    until(pred: (e: T) => boolean, timeoutMs = 5_000): Promise<T> {
      const last = seen.at(-1);
      if (last && pred(last.data)) return Promise.resolve(last.data);
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (e: T) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching ${event} within ${timeoutMs} ms; last: ${JSON.stringify(seen.at(-1)?.data)}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    /** Resolve once no event arrived for `ms`. */
    async quiet(ms: number, maxMs = 10_000): Promise<void> {
      const start = Date.now();
      for (;;) {
        const lastAt = seen.at(-1)?.at ?? 0;
        const idle = Date.now() - lastAt;
        if (idle >= ms) return;
        if (Date.now() - start > maxMs) throw new Error(`${event} never went quiet`);
        await sleep(ms - idle + 5);
      }
    },
    stop: () => (socket as unknown as Socket).off(event, on),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A socket that is not connected yet, so listeners can be attached before the server's first
 * pushes (which follow the handshake at once). The caller closes it.
 */
export function openSocket(url: string, opts: { token?: string; sessionId?: string; userAgent?: string } = {}) {
  const socket = ioClient(url, {
    auth: { ...(opts.token ? { token: opts.token } : {}), ...(opts.sessionId ? { sessionId: opts.sessionId } : {}) },
    extraHeaders: opts.userAgent ? { 'user-agent': opts.userAgent } : undefined,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  }) as TestSocket;
  const connected = new Promise<TestSocket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
  return { socket, connected };
}
