// B2: plain Socket.IO plus one insert per post with the native MongoDB driver (the very driver
// mongoose uses, `mongoose.mongo`), into the same kind of database as the forum. The floor for
// "store it, then fan it out".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { Server } from 'socket.io';
import { room } from '../../shared/rooms.js';
import { announce, serveStats } from './stats-ipc.js';
import { startBenchDatabase } from './database.js';
import { fakeCard, fakePostEvent, isPostCreate, newObjectId } from './fake-post.js';

const { db, dbPid } = await startBenchDatabase();
const client = new mongoose.mongo.MongoClient(db.uri, { maxPoolSize: 20 });
await client.connect();
const posts = client.db('bench_b2').collection('posts');
await posts.createIndex({ topicId: 1, seq: 1 });

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
  socket.on('post:create', async (p: unknown, ack?: Ack) => {
    if (!isPostCreate(p)) return ack?.({ ok: false, error: { code: 'BAD_REQUEST', message: 'bad post' } });
    const seq = (seqs.get(p.topicId) ?? 0) + 1;
    seqs.set(p.topicId, seq);
    const event = fakePostEvent(p, forumId, seq, author);
    try {
      await posts.insertOne({ ...event.post, createdAt: new Date(event.post.createdAt) });
    } catch {
      return ack?.({ ok: false, error: { code: 'INTERNAL', message: 'insert failed' } });
    }
    io.to(room.topic(p.topicId)).emit('post:created', event);
    ack?.({ ok: true, data: { post: event.post, seq } });
  });
});

serveStats(() => io.engine.clientsCount);
let stopping = false;
process.on('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  io.close();
  await client.close().catch(() => {});
  await db.stop();
  process.exit(0);
});
httpServer.listen(0, '127.0.0.1', () => {
  announce({ server: 'B2', port: (httpServer.address() as AddressInfo).port, forumId, topicIds: topics, dbPid, engine: db.engine });
});
