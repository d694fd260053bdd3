// phpBB's "Last active" on a profile: a member's answered requests and their live connections
// opening and closing make them active; written in batches (one $max per flush); a member who
// hides their online status hides it from all but themself and moderators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { op } from '../server/db/connect.js';
import { createGatheredWrites, writePaced } from '../server/services/gathered-writes.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ lastActiveFlushMs: 600_000 }); // written when the test flushes
});
afterAll(() => s?.close());

const profile = async (userId: string, token?: string) => (await s.api('GET', `/users/${userId}`, { token })).body as { user: { id: string }; lastActiveAt?: string | null };
const stored = async (userId: string) => (await s.models.User.findById(userId, { lastActiveAt: 1 }).lean())?.lastActiveAt ?? null;

describe('last active', () => {
  it('is null until a member does something, then the time of it, written in one batch', async () => {
    const quiet = await s.user('la_quiet');
    const busy = await s.user('la_busy');
    expect((await profile(quiet.id)).lastActiveAt).toBeNull();
    const before = Date.now();
    expect((await s.api('GET', '/forums', { token: busy.token })).status).toBe(200);
    // Answered from this node's memory before it is written.
    const seen = (await profile(busy.id)).lastActiveAt;
    expect(Date.parse(seen!)).toBeGreaterThanOrEqual(before - 5);
    expect(await stored(busy.id)).toBeNull();
    await s.app.services.lastActive.flush();
    expect((await stored(busy.id))!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(await stored(quiet.id)).toBeNull(); // a guest's look at their profile is not theirs
    // Never earlier: a later write cannot move it back.
    await s.models.User.updateOne({ _id: busy.id }, { $set: { lastActiveAt: new Date(Date.now() + 3_600_000) } });
    await s.api('GET', '/forums', { token: busy.token });
    await s.app.services.lastActive.flush();
    expect((await stored(busy.id))!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('writes a flush of many members in several paced commands, every member of it', async () => {
    // 60 members: six commands with a pause after each but the last (pauses are not timed here).
    const many = [];
    for (let i = 0; i < 60; i++) many.push(await s.user(`la_many_${i}`));
    const before = Date.now();
    for (const m of many) s.app.services.lastActive.touch(m.id);
    await s.app.services.lastActive.flush();
    const rows = await s.models.User.find({ _id: op({ $in: many.map((m) => m.id) }) }, { lastActiveAt: 1 }).lean();
    expect(rows).toHaveLength(60);
    for (const row of rows) expect(row.lastActiveAt?.getTime() ?? 0).toBeGreaterThanOrEqual(before - 5);
  });

  it('follows live connections: closing one counts (opening one costs nothing)', async () => {
    const member = await s.user('la_socket');
    const socket = await s.socket(member.token);
    await s.app.services.lastActive.flush();
    expect(await stored(member.id)).toBeNull();
    const before = Date.now();
    socket.disconnect();
    await new Promise((r) => setTimeout(r, 200));
    await s.app.services.lastActive.flush();
    expect((await stored(member.id))!.getTime()).toBeGreaterThanOrEqual(before - 5);
  });

  it('is hidden with the online status, but for the member and moderators', async () => {
    const shy = await s.user('la_shy');
    const other = await s.user('la_other');
    const mod = await s.user('la_mod', 'moderator');
    expect((await s.api('PATCH', '/users/me', { token: shy.token, body: { hidden: true } })).status).toBe(200);
    await s.app.services.lastActive.flush();
    expect(await profile(shy.id)).not.toHaveProperty('lastActiveAt');
    expect(await profile(shy.id, other.token)).not.toHaveProperty('lastActiveAt');
    expect(typeof (await profile(shy.id, shy.token)).lastActiveAt).toBe('string');
    expect(typeof (await profile(shy.id, mod.token)).lastActiveAt).toBe('string');
  });
});

describe('writePaced (the last-active and topic-views flushes)', () => {
  /** Runs a flush of `n` items 3 at a time, recording each command's items and the gap before it. */
  async function record(n: number, closing: boolean) {
    const chunks: number[][] = [];
    const gaps: number[] = [];
    let lastEnd = 0;
    await writePaced(Array.from({ length: n }, (_, i) => i), 3, async (chunk) => {
      if (lastEnd) gaps.push(performance.now() - lastEnd);
      chunks.push(chunk);
      await new Promise((r) => setTimeout(r, 5));
      lastEnd = performance.now();
    }, { closing }, { minPauseMs: 60 });
    return { chunks, gaps };
  }

  it('writes every item once, in order, a chunk a command, pausing between commands (not after the last)', async () => {
    const { chunks, gaps } = await record(8, false);
    expect(chunks).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(55);
    expect((await record(0, false)).chunks).toEqual([]);
  });

  it('pauses three times as long as a command took, when that is more than the least pause', async () => {
    let lastEnd = 0;
    const gaps: number[] = [];
    await writePaced([1, 2, 3], 1, async () => {
      if (lastEnd) gaps.push(performance.now() - lastEnd);
      await new Promise((r) => setTimeout(r, 40));
      lastEnd = performance.now();
    }, { closing: false }, { minPauseMs: 1 });
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(115);
  });

  it('does not pause on shutdown', async () => {
    const { chunks, gaps } = await record(8, true);
    expect(chunks.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const gap of gaps) expect(gap).toBeLessThan(55);
  });
});

describe('gathered writes on shutdown', () => {
  it('a paced write still going when the server closes writes the rest without its pauses, then what gathered since', async () => {
    const written: string[] = [];
    const g = createGatheredWrites<number>({
      flushMs: 600_000,
      write: (batch, pace) => writePaced([...batch.keys()], 1, async (chunk) => void written.push(...chunk), pace, { minPauseMs: 200 }),
      failed: () => {},
    });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) g.set(key, 1);
    const gentle = g.flush(); // five pauses of 200 ms ahead
    await expect.poll(() => written.length).toBeGreaterThan(0);
    g.set('g', 1);
    const t0 = performance.now();
    await g.close();
    await gentle;
    expect(performance.now() - t0).toBeLessThan(300); // the pause under way at most, not the four after it
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });
});

describe('gathered writes', () => {
  it('skips a timed flush while a write is still going: what gathered meanwhile goes in the next one, together', async () => {
    const batches: string[][] = [];
    let slow = true;
    const g = createGatheredWrites<number>({
      flushMs: 20,
      async write(batch) {
        batches.push([...batch.keys()]);
        if (slow) {
          slow = false;
          await new Promise((r) => setTimeout(r, 400)); // twenty timer ticks
        }
      },
      failed: () => {},
    });
    g.set('a', 1);
    await expect.poll(() => batches.length, { timeout: 2_000 }).toBe(1);
    // Being written: no longer gathered, still unwritten (a profile's "last active" reads it).
    expect(g.get('a')).toBeUndefined();
    expect(g.unwritten('a')).toBe(1);
    for (const key of ['b', 'c', 'd']) {
      await new Promise((r) => setTimeout(r, 40)); // each after a tick or two of the slow write
      g.set(key, 1);
    }
    await expect.poll(() => batches.length, { timeout: 2_000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 60));
    await g.close(); // writes an empty batch: nothing was left
    expect(g.unwritten('a')).toBeUndefined();
    expect(batches.filter((b) => b.length)).toEqual([['a'], ['b', 'c', 'd']]);
  });
});
