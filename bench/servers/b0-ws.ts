// B0: raw `ws`, no Socket.IO, no database. JSON messages `{t, id?, d}`; a post is built in
// memory, encoded once, and written to every subscriber of its topic. The floor for Node.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { announce, serveStats } from './stats-ipc.js';
import { fakeCard, fakePostEvent, isPostCreate, newObjectId } from './fake-post.js';

const topics = Array.from({ length: Number(process.env.BENCH_TOPICS ?? 1) }, newObjectId);
const forumId = newObjectId();
const seqs = new Map<string, number>();
const subscribers = new Map<string, Set<WebSocket>>();

const httpServer = http.createServer();
const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false, maxPayload: 300 * 1024 });

wss.on('connection', (ws) => {
  const author = fakeCard('poster');
  const mine = new Set<string>();
  const reply = (id: unknown, d: unknown) => {
    if (typeof id === 'number') ws.send(JSON.stringify({ t: 'ack', id, d }));
  };
  ws.on('message', (raw) => {
    let msg: { t?: unknown; id?: unknown; d?: any };
    try {
      msg = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (msg.t === 'topic:subscribe' && typeof msg.d?.topicId === 'string') {
      const topicId: string = msg.d.topicId;
      let set = subscribers.get(topicId);
      if (!set) subscribers.set(topicId, (set = new Set()));
      set.add(ws);
      mine.add(topicId);
      return reply(msg.id, { ok: true, data: { seq: seqs.get(topicId) ?? 0 } });
    }
    if (msg.t === 'post:create' && isPostCreate(msg.d)) {
      const seq = (seqs.get(msg.d.topicId) ?? 0) + 1;
      seqs.set(msg.d.topicId, seq);
      const event = fakePostEvent(msg.d, forumId, seq, author);
      const frame = Buffer.from(JSON.stringify({ t: 'post:created', d: event }));
      for (const peer of subscribers.get(msg.d.topicId) ?? []) peer.send(frame, { binary: false });
      return reply(msg.id, { ok: true, data: { post: event.post, seq } });
    }
    reply(msg.id, { ok: false, error: { code: 'BAD_REQUEST', message: 'unknown message' } });
  });
  ws.on('close', () => {
    for (const topicId of mine) subscribers.get(topicId)?.delete(ws);
  });
});

serveStats(() => wss.clients.size);
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  process.exit(0);
});
httpServer.listen(0, '127.0.0.1', () => {
  announce({ server: 'B0', port: (httpServer.address() as AddressInfo).port, forumId, topicIds: topics });
});
