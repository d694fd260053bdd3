// A server under test plus the generator's connections to it (same clients for every server).
import { io as ioClient, type Socket } from 'socket.io-client';
import type { RunningServer } from './processes.js';
import { connectLean, connectMany, type LeanClient, type Wire } from './lean-client.js';
import type { DeliveryMeter } from './meter.js';
import { stampFromString } from './stamp.js';

export type ClientKind = 'lean' | 'sio';

export interface Target {
  name: 'ours' | 'B0' | 'B1' | 'B2';
  server: RunningServer;
  wire: Wire;
}

export interface Watcher {
  /** The lean connection (absent for socket.io-client watchers). */
  client?: LeanClient;
  token?: string;
  topicId: string;
  close(): void;
}

const HANDSHAKES_AT_ONCE = 50;

export function openPosters(t: Target, n: number): Promise<LeanClient[]> {
  return connectMany(n, HANDSHAKES_AT_ONCE, (i) => connectLean(t.server.url, t.wire, t.server.info.posters?.[i % t.server.info.posters.length]));
}

/**
 * `n` watchers, watcher i subscribed to `topicFor(i)`, each delivery reported to the meter.
 * Watcher i signs in as the server's seeded watcher `first + i` (wrapping around).
 */
export function openWatchers(t: Target, n: number, topicFor: (i: number) => string, meter: DeliveryMeter, kind: ClientKind, first = 0): Promise<Watcher[]> {
  const tokens = t.server.info.watchers ?? [];
  const token = (i: number) => (tokens.length ? tokens[(first + i) % tokens.length] : undefined);
  if (kind === 'sio' && t.wire === 'socketio') {
    return connectMany(n, HANDSHAKES_AT_ONCE, async (i) => {
      const s: Socket = ioClient(t.server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: token(i) ? { token: token(i) } : {} });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', resolve);
        s.once('connect_error', reject);
      });
      s.on('post:created', (e: { post: { body: string } }) => {
        const stamp = stampFromString(e.post.body);
        if (stamp) meter.onStamp(stamp);
      });
      const answer = await s.timeout(30_000).emitWithAck('topic:subscribe', { topicId: topicFor(i) });
      if (!answer?.ok) throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
      return { topicId: topicFor(i), token: token(i), close: () => s.disconnect() };
    });
  }
  return connectMany(n, HANDSHAKES_AT_ONCE, async (i) => {
    const c = await connectLean(t.server.url, t.wire, token(i));
    c.onEvent = meter.onFrame;
    const answer = await c.request('topic:subscribe', { topicId: topicFor(i) }, 30_000);
    if (!answer.ok) throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
    const w: Watcher = { client: c, token: token(i), topicId: topicFor(i), close: () => w.client?.close() };
    return w;
  });
}
