// Topic events leave in batches written straight to each WebSocket (server/realtime/batched-fanout.ts).
// Clients must see exactly what io.to(rooms).emit would have sent: every event, once, in order,
// on WebSocket and on long-polling alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { io as ioClient, type Socket } from 'socket.io-client';
import { startTestServer, seedForum, ack, collect, type TestServer } from './helpers/server.js';
import { createBatchedFanout, textFrame } from '../server/realtime/batched-fanout.js';
import { room } from '../shared/rooms.js';

describe('textFrame', () => {
  it('builds the frame ws itself builds, for every length encoding', () => {
    const frameOf = (WebSocket as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } }).Sender.frame;
    for (const n of [0, 1, 125, 126, 127, 1000, 65_535, 65_536, 70_000]) {
      const payload = Buffer.alloc(n, 'x');
      const expected = Buffer.concat(frameOf(payload, { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true }));
      expect(textFrame(payload).equals(expected)).toBe(true);
    }
  });
});

describe('batched fan-out', () => {
  let s: TestServer;
  let ctx: Awaited<ReturnType<typeof seedForum>>;
  const extra: Socket[] = [];
  beforeAll(async () => {
    s = await startTestServer();
    ctx = await seedForum(s);
  });
  afterAll(async () => {
    for (const c of extra) c.disconnect();
    await s?.close();
  });

  async function pollingSocket(token: string): Promise<Socket> {
    const c = ioClient(s.url, { auth: { token }, transports: ['polling'], reconnection: false, forceNew: true });
    extra.push(c);
    await new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('connect_error', reject);
    });
    return c;
  }

  it('delivers events queued in one tick to WebSocket and polling clients, in order, each once, to a socket in both rooms once', async () => {
    const ws = await s.socket(ctx.member.token);
    const both = await s.socket(ctx.member.token);
    const poll = await pollingSocket(ctx.member.token);
    expect((poll.io.engine as unknown as { transport: { name: string } }).transport.name).toBe('polling');
    for (const c of [ws, both, poll]) expect((await ack(c as never, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    expect((await ack(both, 'forum:subscribe', { forumId: ctx.forum.id })).ok).toBe(true);

    const fanout = createBatchedFanout(s.app.io);
    const rooms = [room.topic(ctx.topic.id), room.forum(ctx.forum.id)];
    const events = Array.from({ length: 25 }, (_, i) => ({ topicId: ctx.topic.id, forumId: ctx.forum.id, seq: 10_000 + i, postId: `p${i}`, text: 'é'.repeat(i * 200) }));
    const got: unknown[][] = [[], [], []];
    [ws, both, poll].forEach((c, i) => (c as unknown as Socket).on('post:deleted', (e: unknown) => got[i].push(e)));
    for (const e of events) fanout.emit(rooms, 'post:deleted', e); // one tick: one batch
    const deadline = Date.now() + 5000;
    while (got.some((g) => g.length < events.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200)); // and nothing more: a socket in both rooms gets each event once
    for (const list of got) expect(list).toEqual(events);
    fanout.close();
  });

  it('keeps order across batches and with Engine.IO writes queued in between', async () => {
    const a = await s.socket(ctx.member.token);
    expect((await ack(a, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    const fanout = createBatchedFanout(s.app.io);
    const rooms = [room.topic(ctx.topic.id)];
    const seen: number[] = [];
    (a as unknown as Socket).on('post:deleted', (e: { seq: number }) => seen.push(e.seq));
    // Ordinary emits of 200 KB leave through Engine.IO and fill the socket's buffers, so the
    // batch that follows finds writes pending and must queue behind them, not overtake them.
    const big = 'x'.repeat(200_000);
    for (let batch = 0; batch < 20; batch++) {
      s.app.io.to(rooms).emit('post:deleted', { topicId: ctx.topic.id, forumId: ctx.forum.id, seq: batch * 10, forumSeq: 0, postId: big });
      for (let i = 1; i <= 3; i++) fanout.emit(rooms, 'post:deleted', { topicId: ctx.topic.id, forumId: ctx.forum.id, seq: batch * 10 + i, forumSeq: 0, postId: 'x' });
      if (batch % 2) await new Promise((r) => setImmediate(r));
    }
    const deadline = Date.now() + 10_000;
    while (seen.length < 80 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Ordinary emits go out at once; batched events at the next setImmediate (every second round).
    const expected = Array.from({ length: 10 }, (_, k) => {
      const [a, b] = [2 * k * 10, (2 * k + 1) * 10];
      return [a, b, a + 1, a + 2, a + 3, b + 1, b + 2, b + 3];
    }).flat();
    expect(seen).toEqual(expected);
    fanout.close();
  });

  it('queues behind Engine.IO for a slow reader, whose writes are pending, and keeps the order', async () => {
    const a = await s.socket(ctx.member.token);
    expect((await ack(a, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    const seen: number[] = [];
    (a as unknown as Socket).on('post:deleted', (e: { seq: number }) => seen.push(e.seq));
    // Stop reading: the server's writes to this socket back up and stay pending.
    const raw = (a.io.engine as unknown as { transport: { ws: { _socket: { pause(): void; resume(): void } } } }).transport.ws._socket;
    raw.pause();
    const conn = [...s.app.io.of('/').sockets.values()].find((x) => x.id === a.id)!.conn as unknown as { writeBuffer: unknown[]; transport: { writable: boolean } };
    const fanout = createBatchedFanout(s.app.io);
    const rooms = [room.topic(ctx.topic.id)];
    const big = 'x'.repeat(1_000_000);
    let pendingSeen = false;
    for (let round = 0; round < 12; round++) {
      s.app.io.to(rooms).emit('post:deleted', { topicId: ctx.topic.id, forumId: ctx.forum.id, seq: round * 10, forumSeq: 0, postId: big });
      for (let i = 1; i <= 3; i++) fanout.emit(rooms, 'post:deleted', { topicId: ctx.topic.id, forumId: ctx.forum.id, seq: round * 10 + i, forumSeq: 0, postId: 'x' });
      await new Promise((r) => setImmediate(r));
      pendingSeen ||= !conn.transport.writable || conn.writeBuffer.length > 0;
    }
    expect(pendingSeen).toBe(true); // the queued path was taken
    raw.resume();
    const deadline = Date.now() + 15_000;
    while (seen.length < 48 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(Array.from({ length: 12 }, (_, r) => [r * 10, r * 10 + 1, r * 10 + 2, r * 10 + 3]).flat());
    fanout.close();
  });

  it('under load leaves at most once per minGapMs, the later events together', async () => {
    const a = await s.socket(ctx.member.token);
    expect((await ack(a, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    const arrivals: Array<{ seq: number; at: number }> = [];
    (a as unknown as Socket).on('post:deleted', (e: { seq: number }) => arrivals.push({ seq: e.seq, at: performance.now() }));
    const fanout = createBatchedFanout(s.app.io, { minGapMs: 150 });
    const rooms = [room.topic(ctx.topic.id)];
    const event = (seq: number) => ({ topicId: ctx.topic.id, forumId: ctx.forum.id, seq, forumSeq: 0, postId: 'x' });
    const t0 = performance.now();
    fanout.emit(rooms, 'post:deleted', event(1)); // leaves at the next turn
    await new Promise((r) => setTimeout(r, 10));
    fanout.emit(rooms, 'post:deleted', event(2)); // 10 ms later: faster than one per 75 ms, so load; waits for the gap
    fanout.emit(rooms, 'post:deleted', event(3));
    const deadline = Date.now() + 5000;
    while (arrivals.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(arrivals.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(arrivals[1].at - t0).toBeGreaterThanOrEqual(149); // timers never fire early
    expect(arrivals[0].at - t0).toBeLessThan(arrivals[1].at - t0);
    fanout.close();
  });

  it('says when what was emitted has been written, so a socket taken out of the room after it still hears it', async () => {
    const a = await s.socket(ctx.member.token);
    expect((await ack(a, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    const heard: number[] = [];
    (a as unknown as Socket).on('post:deleted', (e: { seq: number }) => heard.push(e.seq));
    const fanout = createBatchedFanout(s.app.io, { minGapMs: 150 });
    const rooms = [room.topic(ctx.topic.id)];
    const event = (seq: number) => ({ topicId: ctx.topic.id, forumId: ctx.forum.id, seq, forumSeq: 0, postId: 'x' });
    await fanout.written(); // nothing queued: at once
    fanout.emit(rooms, 'post:deleted', event(1));
    await new Promise((r) => setTimeout(r, 10));
    // Under load: these wait for the gap. Leaving the room once they are written loses none of them.
    fanout.emit(rooms, 'post:deleted', event(2));
    fanout.emit(rooms, 'post:deleted', event(3));
    const t0 = performance.now();
    await fanout.written();
    expect(performance.now() - t0).toBeGreaterThan(100); // it waited for the gapped flush
    for (const socket of await s.app.io.in(room.topic(ctx.topic.id)).fetchSockets()) socket.leave(room.topic(ctx.topic.id));
    const deadline = Date.now() + 3000;
    while (heard.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(heard).toEqual([1, 2, 3]);
    fanout.close();
  });

  it('a steady trickle slower than one event per half the gap leaves at once, not a gap later', async () => {
    const a = await s.socket(ctx.member.token);
    expect((await ack(a, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    const arrivals = new Map<number, number>();
    (a as unknown as Socket).on('post:deleted', (e: { seq: number }) => arrivals.set(e.seq, performance.now()));
    const fanout = createBatchedFanout(s.app.io, { minGapMs: 400 });
    const rooms = [room.topic(ctx.topic.id)];
    const sent = new Map<number, number>();
    for (let seq = 1; seq <= 4; seq++) {
      sent.set(seq, performance.now());
      fanout.emit(rooms, 'post:deleted', { topicId: ctx.topic.id, forumId: ctx.forum.id, seq, forumSeq: 0, postId: 'x' });
      await new Promise((r) => setTimeout(r, 250)); // within the 400 ms gap of the last flush, but slower than one per 200 ms
    }
    const deadline = Date.now() + 5000;
    while (arrivals.size < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect([...arrivals.keys()]).toEqual([1, 2, 3, 4]);
    // With the gap applied, events 2 to 4 would each have waited until 400 ms after the previous flush (150 ms here).
    for (const seq of [2, 3, 4]) expect(arrivals.get(seq)! - sent.get(seq)!).toBeLessThan(120);
    fanout.close();
  });

  it('written in slices, with events arriving mid-flush: every socket gets every event once, in order', async () => {
    const socks = await Promise.all([0, 1, 2, 3].map(() => s.socket(ctx.member.token)));
    for (const c of socks) expect((await ack(c, 'topic:subscribe', { topicId: ctx.topic.id })).ok).toBe(true);
    const seen = socks.map(() => [] as number[]);
    socks.forEach((c, i) => (c as unknown as Socket).on('post:deleted', (e: { seq: number }) => seen[i].push(e.seq)));
    const fanout = createBatchedFanout(s.app.io, { sliceSockets: 1 }); // one socket per turn of the loop
    const rooms = [room.topic(ctx.topic.id)];
    const event = (seq: number) => ({ topicId: ctx.topic.id, forumId: ctx.forum.id, seq, forumSeq: 0, postId: 'x' });
    let seq = 0;
    for (let round = 0; round < 6; round++) {
      for (let k = 0; k < 3; k++) fanout.emit(rooms, 'post:deleted', event(++seq));
      await new Promise((r) => setImmediate(r)); // the previous flush is still writing its slices
    }
    const deadline = Date.now() + 5000;
    while (seen.some((l) => l.length < seq) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    for (const l of seen) expect(l).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
    fanout.close();
  });

  it('carries real posts: 40 concurrent replies reach a watcher as 40 post:created, seqs consecutive', async () => {
    const w = await s.socket(ctx.member.token);
    const sub = await ack(w, 'topic:subscribe', { topicId: ctx.topic.id });
    const wait = collect(w, 'post:created', 40);
    const poster = await s.user('fanout_poster');
    await Promise.all(Array.from({ length: 40 }, (_, i) => s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: poster.token, body: { body: `reply ${i}` } })));
    const got = await wait;
    expect(got.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => sub.data.seq + 1 + i));
  });
});
