// Catch-up from memory (server/realtime/recent-events.ts): a real server, real sockets, a real
// database. Every answer from memory is checked against what the event log itself answers, and
// every case memory cannot vouch for must reach the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startTestServer, seedForum, ack, collect, type TestServer, type TestSocket } from './helpers/server.js';
import { createEventLog } from '../server/services/event-log.service.js';
import { loadConfig } from '../server/config.js';
import type { TopicEvent } from '../shared/schemas.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The log alone (no memory): what `topic:subscribe` answered before this buffer existed. */
function logOnly(s: TestServer) {
  return createEventLog({ models: s.models, config: s.config, logger: pino({ level: 'silent' }), sink: { publish() {} } });
}

/** Count the event-log scans (`Event.find`) the server makes. */
function countScans(s: TestServer) {
  const original = s.models.Event.find;
  const counter = { n: 0, restore: () => void (s.models.Event.find = original) };
  s.models.Event.find = function (this: unknown, ...args: unknown[]) {
    counter.n++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return counter;
}

/**
 * Hold the next write to the event log (however the log writes it) until `release()`: the seq
 * being committed stays claimed here and applied, but not logged or emitted.
 */
function holdNextCommit(s: TestServer) {
  const targets: Array<[Record<string, unknown>, string]> = [
    [s.models.Event as unknown as Record<string, unknown>, 'create'],
    [s.models.Event as unknown as Record<string, unknown>, 'insertMany'],
    [s.models.Event.collection as unknown as Record<string, unknown>, 'insertOne'],
    [s.models.Event.collection as unknown as Record<string, unknown>, 'insertMany'],
  ];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = false;
  const restore = () => {
    for (const [obj, name] of targets) delete obj[name]; // back to the prototype's method
  };
  for (const [obj, name] of targets) {
    const original = obj[name] as (...a: unknown[]) => unknown;
    obj[name] = async function (this: unknown, ...args: unknown[]) {
      if (!held) {
        held = true;
        restore();
        await gate;
      }
      return original.apply(this, args);
    };
  }
  return { release: () => (restore(), release()), get held() { return held; } };
}

type Seeded = Awaited<ReturnType<typeof seedForum>>;

/** Posts, edits, thanks toggles and a delete, in turn; returns the topic's head seq. */
async function mixedWrites(s: TestServer, { member, topic, firstPost }: Seeded, n: number, tag: string): Promise<number> {
  const thanker = await s.user(`thanker_${tag}`);
  let thanked = false;
  let reply: string | null = null;
  let seq = 0;
  for (let i = 0; i < n; i++) {
    let r;
    if (i === n - 1 && reply) r = await s.api('DELETE', `/posts/${reply}`, { token: member.token });
    else if (i % 4 === 1) r = await s.api('PATCH', `/posts/${firstPost.id}`, { token: member.token, body: { body: `edit ${i}` } });
    else if (i % 4 === 2) {
      r = await s.api(thanked ? 'DELETE' : 'POST', `/posts/${firstPost.id}/thanks`, { token: thanker.token });
      thanked = !thanked;
    } else {
      r = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: `post ${i}` } });
      reply = r.body.post.id;
    }
    expect(r.status).toBeLessThan(300);
    seq = (await s.models.Topic.findById(topic.id).lean())!.seq;
  }
  return seq;
}

/** What the socket answers and what the log alone answers, side by side (as JSON, as on the wire). */
async function bothAnswers(s: TestServer, sock: TestSocket, topicId: string, sinceSeq: number) {
  const answer = await ack(sock, 'topic:subscribe', { topicId, sinceSeq });
  expect(answer.ok).toBe(true);
  const fromLog = JSON.parse(JSON.stringify(await logOnly(s).replayTopic(topicId, sinceSeq)));
  return { got: answer.data, fromLog };
}

/** Make a seq look written by another node: claimed in the database, optionally with its event logged. */
async function foreignWrite(s: TestServer, topicId: string, { commit }: { commit: boolean }): Promise<number> {
  const topic = (await s.models.Topic.findOneAndUpdate({ _id: topicId }, { $inc: { seq: 1 }, $set: { seqAt: new Date() } }, { new: true }).lean())!;
  const forum = (await s.models.Forum.findOneAndUpdate({ _id: topic.forumId }, { $inc: { seq: 1 } }, { new: true }).lean())!;
  if (commit) {
    const data = { topicId, forumId: String(topic.forumId), seq: topic.seq, forumSeq: forum.seq, topic: { id: topicId, title: 'Renamed elsewhere' } };
    await s.models.Event.create({ topicId, forumId: topic.forumId, seq: topic.seq, forumSeq: forum.seq, type: 'topic:updated', data: JSON.stringify(data), at: new Date() });
  }
  return topic.seq;
}

describe('catch-up from memory', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers a recent sinceSeq from memory with exactly what the log holds, without scanning it', async () => {
    const seeded = await seedForum(s);
    const head = await mixedWrites(s, seeded, 30, 'a');
    expect(head).toBe(31);
    const sock = await s.socket();
    for (const since of [0, 1, 5, 17, 29, 30]) {
      const scans = countScans(s);
      const answer = await ack(sock, 'topic:subscribe', { topicId: seeded.topic.id, sinceSeq: since });
      scans.restore();
      expect(scans.n).toBe(0);
      const fromLog = JSON.parse(JSON.stringify(await logOnly(s).replayTopic(seeded.topic.id, since)));
      expect(answer.data).toEqual(fromLog);
      expect(answer.data.missed.map((e: TopicEvent) => e.data.seq)).toEqual(Array.from({ length: head - since }, (_, i) => since + i + 1));
    }
    const types = new Set((await bothAnswers(s, sock, seeded.topic.id, 0)).got.missed.map((e: TopicEvent) => e.type));
    expect([...types].sort()).toEqual(['post:created', 'post:deleted', 'post:updated', 'thanks:changed']);

    // The head without sinceSeq (and the REST page's seq) come from memory too.
    const scans = countScans(s);
    const plain = await ack(sock, 'topic:subscribe', { topicId: seeded.topic.id });
    const page = await s.api('GET', `/topics/${seeded.topic.id}`);
    scans.restore();
    expect(plain.data).toEqual({ seq: head });
    expect(page.body.seq ?? page.body.topic.seq).toBe(head);
    expect(scans.n).toBe(0);
  }, 60_000);

  it('goes to the log for a seq written by another node, and from memory again once its run is unbroken', async () => {
    const seeded = await seedForum(s);
    const topicId = seeded.topic.id;
    await mixedWrites(s, seeded, 5, 'b'); // seqs 2..6 here
    const foreign = await foreignWrite(s, topicId, { commit: true });
    expect(foreign).toBe(7);

    const sock = await s.socket();
    let scans = countScans(s);
    const tail = await bothAnswers(s, sock, topicId, 3);
    scans.restore();
    expect(scans.n).toBeGreaterThan(0); // memory ends at 6 and 7 is not being written here
    expect(tail.got).toEqual(tail.fromLog);
    expect(tail.got.missed.map((e: TopicEvent) => e.data.seq)).toEqual([4, 5, 6, 7]);
    expect(tail.got.missed.at(-1).data.topic.title).toBe('Renamed elsewhere');

    // The settled seq is checked in the log too (memory cannot vouch for seq 7).
    scans = countScans(s);
    expect((await ack(sock, 'topic:subscribe', { topicId })).data).toEqual({ seq: 7 });
    scans.restore();
    expect(scans.n).toBeGreaterThan(0);

    // A local write after the foreign seq: this node steps over 7 and starts a new run at 8.
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId, sinceSeq: 7 });
    const live = collect(watcher, 'post:created', 1);
    await s.api('POST', `/topics/${topicId}/posts`, { token: seeded.member.token, body: { body: 'after the foreign seq' } });
    expect((await live)[0].seq).toBe(8);

    scans = countScans(s);
    const across = await bothAnswers(s, sock, topicId, 5);
    scans.restore();
    expect(scans.n).toBeGreaterThan(0);
    expect(across.got).toEqual(across.fromLog);
    expect(across.got.missed.map((e: TopicEvent) => e.data.seq)).toEqual([6, 7, 8]);

    scans = countScans(s);
    const after = await ack(sock, 'topic:subscribe', { topicId, sinceSeq: 7 });
    scans.restore();
    expect(scans.n).toBe(0);
    expect(after.data.missed.map((e: TopicEvent) => e.data.seq)).toEqual([8]);
  }, 60_000);

  it('never vouches for a seq another node has claimed but not committed', async () => {
    const seeded = await seedForum(s);
    const topicId = seeded.topic.id;
    for (let i = 0; i < 3; i++) await s.api('POST', `/topics/${topicId}/posts`, { token: seeded.member.token, body: { body: `p${i}` } });
    const sock = await s.socket();
    expect((await ack(sock, 'topic:subscribe', { topicId })).data).toEqual({ seq: 4 }); // memory knows 1..4

    const pending = await foreignWrite(s, topicId, { commit: false }); // seq 5: claimed elsewhere, still being written
    // (A subscriber may also get events published just before it joined, still in the fan-out's batch.)
    const live = new Promise<{ seq: number }>((resolve) => sock.on('post:created', (e) => e.seq > 4 && resolve(e)));
    await s.api('POST', `/topics/${topicId}/posts`, { token: seeded.member.token, body: { body: 'past the pending seq' } });
    expect((await live).seq).toBe(pending + 1); // stepped over 5: this node's run is now (5, 6]

    // Seq 6 is committed and in memory, but 5 is not: the seq a reader may load at is 4.
    const other = await s.socket();
    const scans = countScans(s);
    expect((await ack(other, 'topic:subscribe', { topicId })).data).toEqual({ seq: 4 });
    scans.restore();
    expect(scans.n).toBeGreaterThan(0);
    // A replay from before the hole ends where the log does (the hole is young).
    const before = await bothAnswers(s, other, topicId, 4);
    expect(before.got).toEqual(before.fromLog);
    expect(before.got.missed).toEqual([]);
  }, 60_000);

  it('answers up to the seqs still being written on this node; those arrive live', async () => {
    const seeded = await seedForum(s);
    const topicId = seeded.topic.id;
    await mixedWrites(s, seeded, 5, 'c'); // head 6
    const sock = await s.socket();
    const other = await s.socket();
    const commit = holdNextCommit(s);
    try {
      const posting = s.api('POST', `/topics/${topicId}/posts`, { token: seeded.member.token, body: { body: 'slow commit' } });
      for (let i = 0; i < 250 && !commit.held; i++) await sleep(20);
      expect(commit.held).toBe(true);

      const scans = countScans(s);
      const live = collect(sock, 'post:created', 1);
      const answer = await ack(sock, 'topic:subscribe', { topicId, sinceSeq: 3 });
      const settled = await ack(other, 'topic:subscribe', { topicId });
      scans.restore();
      expect(scans.n).toBe(0);
      expect(answer.data.seq).toBe(7);
      expect(answer.data.missed.map((e: TopicEvent) => e.data.seq)).toEqual([4, 5, 6]);
      expect(answer.data.more).toBe(false);
      expect(settled.data).toEqual({ seq: 6 });

      commit.release();
      expect((await posting).status).toBe(201);
      expect((await live)[0].seq).toBe(7);
    } finally {
      commit.release();
    }
  }, 60_000);

  it('replays noops for abandoned seqs as the log does, and skips a seq whose claim failed', async () => {
    const seeded = await seedForum(s);
    const topicId = seeded.topic.id;
    await mixedWrites(s, seeded, 3, 'd'); // head 4
    const { Post, Forum } = s.models;
    // The edit fails after its claim: its seq becomes a logged noop.
    const update = Post.findOneAndUpdate;
    Post.findOneAndUpdate = function () {
      Post.findOneAndUpdate = update;
      throw new Error('injected failure after the claim');
    } as unknown as typeof update;
    const failed = await s.api('PATCH', `/posts/${seeded.firstPost.id}`, { token: seeded.member.token, body: { body: 'lost' } });
    Post.findOneAndUpdate = update;
    expect(failed.status).toBe(500);
    await mixedWrites(s, seeded, 2, 'e'); // head 7

    const sock = await s.socket();
    const scans = countScans(s);
    const { got, fromLog } = await bothAnswers(s, sock, topicId, 3);
    scans.restore();
    expect(scans.n).toBe(1); // only the comparison's own read
    expect(got).toEqual(fromLog);
    const forumSeq = (await s.models.Event.findOne({ topicId, seq: 5 }).lean())!.forumSeq;
    expect(got.missed[1]).toEqual({ type: 'noop', data: { topicId, forumId: seeded.forum.id, seq: 5, forumSeq } });

    // The forum's claim fails: the topic's seq is taken, nothing is stored or logged. Memory
    // holds the noop the writer published, so a reader moves past it instead of waiting.
    // (The claim goes straight to the driver's collection.)
    const forums = Forum.collection as unknown as { findOneAndUpdate: unknown };
    const forumUpdate = forums.findOneAndUpdate;
    forums.findOneAndUpdate = function () {
      forums.findOneAndUpdate = forumUpdate;
      return Promise.reject(new Error('injected forum failure')); // as the database answers: the topic's claim, sent alongside, goes through
    };
    const refused = await s.api('POST', `/topics/${topicId}/posts`, { token: seeded.member.token, body: { body: 'never stored' } });
    forums.findOneAndUpdate = forumUpdate;
    expect(refused.status).toBe(500);
    const ok = await s.api('POST', `/topics/${topicId}/posts`, { token: seeded.member.token, body: { body: 'stored' } });
    expect(ok.body.seq).toBe(9);
    const answer = await ack(sock, 'topic:subscribe', { topicId, sinceSeq: 7 });
    expect(answer.data.missed).toEqual([
      { type: 'noop', data: { topicId, forumId: seeded.forum.id, seq: 8, forumSeq: 0 } },
      expect.objectContaining({ type: 'post:created', data: expect.objectContaining({ seq: 9 }) }),
    ]);
    expect(await s.models.Event.findOne({ topicId, seq: 8 }).lean()).toBeNull();
  }, 60_000);
});

describe('catch-up from memory: limits and switches', () => {
  it('reads the log for a sinceSeq older than what memory keeps', async () => {
    const s = await startTestServer({ recentEventsPerTopic: 10 });
    try {
      const seeded = await seedForum(s);
      for (let i = 0; i < 25; i++) await s.api('PATCH', `/posts/${seeded.firstPost.id}`, { token: seeded.member.token, body: { body: `e${i}` } });
      const sock = await s.socket();
      let scans = countScans(s);
      const old = await bothAnswers(s, sock, seeded.topic.id, 3);
      scans.restore();
      expect(scans.n).toBe(2); // the server's and the comparison's
      expect(old.got).toEqual(old.fromLog);
      expect(old.got.missed.map((e: TopicEvent) => e.data.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 4));

      scans = countScans(s);
      const recent = await ack(sock, 'topic:subscribe', { topicId: seeded.topic.id, sinceSeq: 16 }); // memory holds 17..26
      scans.restore();
      expect(scans.n).toBe(0);
      expect(recent.data.missed.map((e: TopicEvent) => e.data.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 17));
      scans = countScans(s);
      await ack(sock, 'topic:subscribe', { topicId: seeded.topic.id, sinceSeq: 15 });
      scans.restore();
      expect(scans.n).toBe(1);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('pages from memory like the log, and says resync below the log floor even when memory has the events', async () => {
    const s = await startTestServer({ eventRetentionCount: 20, replayPageSize: 10 });
    try {
      const seeded = await seedForum(s);
      const topicId = seeded.topic.id;
      for (let i = 0; i < 40; i++) await s.api('PATCH', `/posts/${seeded.firstPost.id}`, { token: seeded.member.token, body: { body: `e${i}` } });
      await sleep(200); // count-based pruning runs in the background
      const sock = await s.socket();
      expect((await ack(sock, 'topic:subscribe', { topicId, sinceSeq: 1 })).data).toEqual({ seq: 41, resync: true });
      const scans = countScans(s);
      const page = await ack(sock, 'topic:subscribe', { topicId, sinceSeq: 25 });
      scans.restore();
      expect(scans.n).toBe(0);
      expect(page.data.missed.map((e: TopicEvent) => e.data.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 26));
      expect(page.data.more).toBe(true);
      const fromLog = JSON.parse(JSON.stringify(await logOnly(s).replayTopic(topicId, 25)));
      expect(page.data).toEqual(fromLog);
      const rest = await bothAnswers(s, sock, topicId, 35);
      expect(rest.got).toEqual(rest.fromLog);
      expect(rest.got.more).toBe(false);

      // Age-based retention moves the floor past what memory still holds.
      await s.models.Event.updateMany({ topicId }, { $set: { at: new Date(Date.now() - 40 * 86_400_000) } });
      expect(await s.app.services.eventLog.pruneByAge()).toBeGreaterThan(0);
      expect((await ack(sock, 'topic:subscribe', { topicId, sinceSeq: 39 })).data).toEqual({ seq: 41, resync: true });
    } finally {
      await s.close();
    }
  }, 60_000);

  it('can be switched off, and rejects a bad setting with a clear line', async () => {
    const s = await startTestServer({ recentEventsPerTopic: 0 });
    try {
      const seeded = await seedForum(s);
      for (let i = 0; i < 3; i++) await s.api('PATCH', `/posts/${seeded.firstPost.id}`, { token: seeded.member.token, body: { body: `e${i}` } });
      const sock = await s.socket();
      const scans = countScans(s);
      const answer = await ack(sock, 'topic:subscribe', { topicId: seeded.topic.id, sinceSeq: 2 });
      scans.restore();
      expect(scans.n).toBe(1);
      expect(answer.data.missed.map((e: TopicEvent) => e.data.seq)).toEqual([3, 4]);
    } finally {
      await s.close();
    }
    expect(() => loadConfig({ RECENT_EVENTS_PER_TOPIC: '-1' })).toThrow(/^Bad configuration: RECENT_EVENTS_PER_TOPIC: /);
    expect(() => loadConfig({ RECENT_EVENTS_TOPICS: 'many' })).toThrow(/^Bad configuration: RECENT_EVENTS_TOPICS: /);
    expect(loadConfig({})).toMatchObject({ recentEventsPerTopic: 256, recentEventsTopics: 1000 });
  }, 60_000);
});
