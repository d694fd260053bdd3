// B1: plain Socket.IO, no database. Subscribing joins a room; a post is built in memory and
// sent with io.to(room).emit. The floor for anything built on Socket.IO.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { room } from '../../shared/rooms.js';
import { announce, serveStats } from './stats-ipc.js';
import { fakeCard, fakePostEvent, isPostCreate, newObjectId } from './fake-post.js';

const topics = Array.from({ length: Number(process.env.BENCH_TOPICS ?? 1) }, newObjectId);
const forumId = newObjectId();
const seqs = new Map<string, number>();

const httpServer = http.createServer();
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 300 * 1024 });

type Ack = (answer: unknown) => void;
io.on('connection', (socket) => {
  const author = fakeCard(`poster_${socket.id.slice(0, 6)}`);
  socket.on('topic:subscribe', (p: { topicId?: unknown }, ack?: Ack) => {
    if (typeof p?.topicId !== 'string') return ack?.({ ok: false, error: { code: 'BAD_REQUEST', message: 'topicId' } });
    void socket.join(room.topic(p.topicId));
    ack?.({ ok: true, data: { seq: seqs.get(p.topicId) ?? 0 } });
  });
  socket.on('post:create', (p: unknown, ack?: Ack) => {
    if (!isPostCreate(p)) return ack?.({ ok: false, error: { code: 'BAD_REQUEST', message: 'bad post' } });
    const seq = (seqs.get(p.topicId) ?? 0) + 1;
    seqs.set(p.topicId, seq);
    const event = fakePostEvent(p, forumId, seq, author);
    io.to(room.topic(p.topicId)).emit('post:created', event);
    ack?.({ ok: true, data: { post: event.post, seq } });
  });
});

serveStats(() => io.engine.clientsCount);
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
httpServer.listen(0, '127.0.0.1', () => {
  announce({ server: 'B1', port: (httpServer.address() as AddressInfo).port, forumId, topicIds: topics });
});
