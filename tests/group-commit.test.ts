// Group commit: concurrent writes share their database round trips (seq claims per topic,
// post and event inserts, author counts), and each caller still gets exactly its own outcome.
import { describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import { seededServer, ack } from './helpers/server.js';
import { coalescedInsert, type InsertTarget } from '../server/db/coalesced-insert.js';
import { groupCommit } from '../server/db/group-commit.js';
import { gatheredReads } from '../server/db/gathered-reads.js';
import { isDuplicateKey } from '../server/errors.js';
import { watch } from './helpers/watch.js';

describe('groupCommit', () => {
  it('runs the first call alone, groups what arrives meanwhile per key, and fails only the unanswered', async () => {
    const groups: Array<[string, number[]]> = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const run = groupCommit<string, number, number>(async (key, group) => {
      groups.push([key, group.map((m) => m.input)]);
      if (groups.length === 1) await gate; // hold the first group while others arrive
      if (group.some((m) => m.input === 13)) {
        group[0].resolve(group[0].input * 10);
        throw new Error('unlucky');
      }
      for (const m of group) m.resolve(m.input * 10);
    });
    const first = run('a', 1);
    const later = [run('a', 2), run('a', 3), run('b', 7), run('a', 13)];
    release();
    expect(await first).toBe(10);
    const settled = await Promise.allSettled(later);
    expect(groups).toEqual([['a', [1]], ['b', [7]], ['a', [2, 3, 13]]]);
    // In the group that threw, the member answered before the throw keeps its answer; the rest get the error.
    expect(settled.map((x) => (x.status === 'fulfilled' ? x.value : (x.reason as Error).message))).toEqual([20, 'unlucky', 70, 'unlucky']);
  });
});

describe('group commit', () => {
  const env = seededServer();

  it('coalesces concurrent inserts and gives a duplicate in mid-batch its own duplicate key error', async () => {
    const collection = env.s.conn.db!.collection('group_commit_scratch');
    const calls = { one: 0, many: 0 };
    const target: InsertTarget<{ _id: Types.ObjectId; n: number }> = {
      insertOne: (doc) => (calls.one++, collection.insertOne(doc)),
      insertMany: (docs, o) => (calls.many++, collection.insertMany(docs, o)),
    };
    const insert = coalescedInsert(target);
    const ids = Array.from({ length: 30 }, () => new Types.ObjectId());
    // Items 10 and 20 repeat the ids of items 3 and 7.
    const docs = ids.map((_id, n) => ({ _id: n === 10 ? ids[3] : n === 20 ? ids[7] : _id, n }));
    const outcomes = await Promise.allSettled(docs.map((d) => insert(d)));
    const failed = outcomes.flatMap((o, n) => (o.status === 'rejected' ? [n] : []));
    expect(failed).toEqual([10, 20]);
    for (const n of failed) expect(isDuplicateKey((outcomes[n] as PromiseRejectedResult).reason)).toBe(true);
    const stored = await collection.find({}).sort({ n: 1 }).toArray();
    expect(stored.map((d) => d.n)).toEqual(docs.map((d) => d.n).filter((n) => n !== 10 && n !== 20));
    expect(calls.many).toBeGreaterThan(0); // they did go together
    expect(calls.one + calls.many).toBeLessThan(30);
  });

  it('forty concurrent replies by four members: consecutive seqs and numbers, exact counts, fewer claims, every watcher sees all in order', async () => {
    const members = await Promise.all(['gc_a', 'gc_b', 'gc_c', 'gc_d'].map((n) => env.s.user(n)));
    const watcher = await env.s.socket(env.ctx.member.token);
    expect((await ack(watcher, 'topic:subscribe', { topicId: env.ctx.topic.id })).ok).toBe(true);
    const w = watch<{ seq: number; post: { id: string } }>(watcher, 'post:created');
    const topic0 = (await env.s.models.Topic.findById(env.ctx.topic.id).lean())!;
    const forum0 = (await env.s.models.Forum.findById(topic0.forumId).lean())!;
    const claims = vi.spyOn(env.s.models.Topic.collection, 'findOneAndUpdate'); // claims go straight to the driver
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        env.s.api('POST', `/topics/${env.ctx.topic.id}/posts`, { token: members[i % 4].token, body: { body: `together ${i}`, clientId: `gc-${i}` } }),
      ),
    );
    const claimCalls = claims.mock.calls.length;
    claims.mockRestore();
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const seqs = answers.map((a) => a.body.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => topic0.seq + 1 + i));
    const numbers = answers.map((a) => a.body.post.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => topic0.postNumbers + 1 + i));
    expect(claimCalls).toBeGreaterThan(0);
    expect(claimCalls).toBeLessThan(40); // claims were shared

    const topic = (await env.s.models.Topic.findById(env.ctx.topic.id).lean())!;
    const forum = (await env.s.models.Forum.findById(topic0.forumId).lean())!;
    expect(topic.postCount).toBe(topic0.postCount + 40);
    expect(topic.postCount).toBe(await env.s.models.Post.countDocuments({ topicId: env.ctx.topic.id, deleted: false }));
    expect(forum.postCount).toBe(forum0.postCount + 40);
    expect(forum.seq).toBe(forum0.seq + 40);
    for (const m of members) expect((await env.s.models.User.findById(m.id).lean())!.postCount).toBe(10);
    // "Last post" names the highest-numbered post.
    const last = answers.find((a) => a.body.post.number === topic0.postNumbers + 40)!;
    expect(topic.lastPost?.id).toBe(last.body.post.id);
    expect(forum.lastPost?.id).toBe(last.body.post.id);
    // Each post's number and seq are stored as answered; each event in the log is its post's.
    for (const a of answers) {
      const row = (await env.s.models.Post.findById(a.body.post.id).lean())!;
      expect({ number: row.number, seq: row.seq }).toEqual({ number: a.body.post.number, seq: a.body.seq });
    }
    await w.until((e) => e.seq === topic0.seq + 40);
    expect(w.seen.map((e) => e.data.seq)).toEqual(Array.from({ length: 40 }, (_, i) => topic0.seq + 1 + i));
  });
  it('gathers concurrent reads by id into few queries, each answered by a read begun after it was asked', async () => {
    const collection = env.s.conn.db!.collection<{ _id: Types.ObjectId; n: number }>('gathered_reads_scratch');
    const ids = Array.from({ length: 12 }, () => new Types.ObjectId());
    await collection.insertMany(ids.map((_id, n) => ({ _id, n })));
    const queries: string[][] = [];
    let release: (() => void) | null = null;
    const read = gatheredReads(async (asked) => {
      queries.push(asked);
      if (queries.length === 1) await new Promise<void>((r) => (release = r)); // hold the first read
      return collection.find({ _id: { $in: asked.map((id) => new Types.ObjectId(id)) } }).toArray();
    });
    const first = read(String(ids[0]));
    // Asked while the first read is held: a change made before asking must be seen.
    await collection.updateOne({ _id: ids[1] }, { $set: { n: 100 } });
    const unknown = String(new Types.ObjectId());
    const later = [...ids.map((id) => read(String(id))), read(String(ids[1]).toUpperCase()), read(unknown), read('not-an-id')];
    release!();
    expect((await first)?.n).toBe(0);
    const answers = await Promise.all(later);
    expect(answers.map((a) => a?.n ?? null)).toEqual([0, 100, ...ids.slice(2).map((_, i) => i + 2), 100, null, null]);
    // The first read alone, then everything asked meanwhile in one (each id once; the bad id never sent).
    expect(queries.length).toBe(2);
    expect(queries[0]).toEqual([String(ids[0])]);
    expect(queries[1].sort()).toEqual([...ids.map(String), unknown].sort());
  });

  it('a reconnect storm checks its tokens in a few reads, and a member banned just before is still refused', async () => {
    const members = await Promise.all(Array.from({ length: 30 }, (_, i) => env.s.user(`storm_${i}`)));
    const banned = members[7];
    await env.s.models.User.updateOne({ _id: banned.id }, { $set: { bannedUntil: new Date(Date.now() + 3_600_000) } });
    // Thirty checks asked at once (sockets' handshakes may not overlap; these do): the first read
    // alone, the rest in the next.
    const reads = vi.spyOn(env.s.models.User, 'find');
    const checks = await Promise.allSettled(members.map((m) => env.s.app.services.tokens.verify(m.token)));
    const userReads = reads.mock.calls.length;
    reads.mockRestore();
    expect(checks.map((c) => c.status)).toEqual(members.map((m) => (m === banned ? 'rejected' : 'fulfilled')));
    expect(userReads).toBe(2);
    // And over the wire, connecting at once: the banned member is refused, the others let in.
    const outcomes = await Promise.allSettled(members.map((m) => env.s.socket(m.token)));
    expect(outcomes.map((o) => o.status)).toEqual(members.map((m) => (m === banned ? 'rejected' : 'fulfilled')));
    expect(((outcomes[7] as PromiseRejectedResult).reason as Error).message).toBe('UNAUTHORIZED');
    for (const o of outcomes) if (o.status === 'fulfilled') o.value.disconnect();
  });
});
