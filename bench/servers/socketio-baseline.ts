// What B1 and B2 share: plain Socket.IO, where subscribing joins a room and a post is built in
// memory, numbered per topic and sent with io.to(room).emit. The one difference between the two
// is `store`: nothing for B1, one insert with the native driver for B2.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { room } from '../../shared/rooms.js';
import { announce, serveStats } from './stats-ipc.js';
import { fakeCard, fakePostEvent, isPostCreate, newObjectId } from './fake-post.js';

type PostEvent = ReturnType<typeof fakePostEvent>;
type Ack = (answer: unknown) => void;

export function runSocketIoBaseline(opts: {
  name: string;
  /** Stores the post before it is sent (B2); a rejection answers INTERNAL and sends nothing. */
  store?: (event: PostEvent) => Promise<unknown>;
  /** Said in the ready line besides the port and ids (the database's pid and engine). */
  extra?: Record<string, unknown>;
  /** Run on SIGTERM after Socket.IO closes (the database's client and process). */
  onStop?: () => Promise<void>;
}): void {
  const topics = Array.from({ length: Number(process.env.BENCH_TOPICS ?? 1) }, newObjectId);
  const forumId = newObjectId();
  const seqs = new Map<string, number>();

  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 300 * 1024 });

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
      if (opts.store) {
        try {
          await opts.store(event);
        } catch {
          return ack?.({ ok: false, error: { code: 'INTERNAL', message: 'insert failed' } });
        }
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
    await opts.onStop?.();
    process.exit(0);
  });
  httpServer.listen(0, '127.0.0.1', () => {
    announce({ server: opts.name, port: (httpServer.address() as AddressInfo).port, forumId, topicIds: topics, ...opts.extra });
  });
}
