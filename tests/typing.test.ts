import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, type TestServer } from './helpers/server.js';
import { watch, sleep } from './helpers/watch.js';
import type { TypingEvent } from '../shared/schemas.js';

let s: TestServer;
let board: Awaited<ReturnType<typeof seedForum>>;
beforeAll(async () => {
  s = await startTestServer({ presenceGraceMs: 200 });
  board = await seedForum(s);
});
afterAll(() => s?.close());

let n = 0;
async function pair() {
  const r = await s.api('POST', `/forums/${board.forum.id}/topics`, { token: board.member.token, body: { title: `typing ${++n}`, body: 'x' } });
  const topicId: string = r.body.topic.id;
  const writer = await s.user(`writer_${n}`);
  const reader = await s.user(`reader_${n}`);
  const w = await s.socket(writer.token);
  const rd = await s.socket(reader.token);
  expect((await ack(w, 'topic:subscribe', { topicId })).ok).toBe(true);
  expect((await ack(rd, 'topic:subscribe', { topicId })).ok).toBe(true);
  return { topicId, writer, w, rd, heard: watch<TypingEvent>(rd, 'typing') };
}

describe('typing', () => {
  it('announces a member typing to the topic room and expires 5 s after the last refresh', async () => {
    const { topicId, writer, w, heard } = await pair();
    expect(await ack(w, 'typing', { topicId, typing: true })).toEqual({ ok: true, data: {} });
    expect(await heard.until((e) => e.typing)).toEqual({ topicId, user: { id: writer.id, username: writer.username }, typing: true });

    await sleep(2_000);
    expect((await ack(w, 'typing', { topicId, typing: true })).ok).toBe(true); // a refresh, not a new start
    const refreshed = Date.now();
    const stopped = await heard.until((e) => !e.typing, 8_000);
    const after = Date.now() - refreshed;
    expect(stopped).toEqual({ topicId, user: { id: writer.id, username: writer.username }, typing: false });
    expect(after).toBeGreaterThanOrEqual(4_900);
    expect(after).toBeLessThan(6_500);
    expect(heard.seen.map((e) => e.data.typing)).toEqual([true, false]);
  }, 20_000);

  it('stops at once on typing:false, and when the typist leaves the topic', async () => {
    const { topicId, w, heard } = await pair();
    await ack(w, 'typing', { topicId, typing: true });
    await heard.until((e) => e.typing);
    await ack(w, 'typing', { topicId, typing: false });
    await heard.until((e) => !e.typing, 1_000);
    // typing:false when not typing says nothing.
    expect((await ack(w, 'typing', { topicId, typing: false })).ok).toBe(true);

    await ack(w, 'typing', { topicId, typing: true });
    await heard.until((e) => e.typing, 1_000);
    await ack(w, 'topic:unsubscribe', { topicId });
    await heard.until((e) => !e.typing, 1_000);

    await ack(w, 'topic:subscribe', { topicId });
    await ack(w, 'typing', { topicId, typing: true });
    await heard.until((e) => e.typing, 1_000);
    w.disconnect();
    await heard.until((e) => !e.typing, 1_000);
    expect(heard.seen.map((e) => e.data.typing)).toEqual([true, false, true, false, true, false]);
  });

  it('refuses guests, non-subscribers, bad payloads and spoofed identities, and announces nothing', async () => {
    const { topicId, writer, heard } = await pair();
    const guest = await s.socket();
    await ack(guest, 'topic:subscribe', { topicId });
    expect(await ack(guest, 'typing', { topicId, typing: true })).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });

    const outsider = await s.socket(writer.token); // same member, but this socket never subscribed
    expect((await ack(outsider, 'typing', { topicId, typing: true })).error.code).toBe('FORBIDDEN');

    const member = await s.socket(board.member.token);
    await ack(member, 'topic:subscribe', { topicId });
    for (const payload of [
      { topicId, typing: 'yes' },
      { topicId, typing: 1 },
      { topicId },
      { typing: true },
      { topicId: 'nope', typing: true },
      { topicId, typing: true, user: { id: writer.id, username: writer.username } },
      null,
    ]) {
      const r = await ack(member, 'typing', payload);
      expect(r.ok, JSON.stringify(payload)).toBe(false);
      expect(r.error.code).toBe('BAD_REQUEST');
    }
    await sleep(300);
    expect(heard.seen).toEqual([]);
  });

  it('names the typist from the token only', async () => {
    const { topicId, heard } = await pair();
    const member = await s.socket(board.member.token);
    await ack(member, 'topic:subscribe', { topicId });
    await ack(member, 'typing', { topicId, typing: true });
    const e = await heard.until((x) => x.typing);
    expect(e.user).toEqual({ id: board.member.id, username: board.member.username });
  });
});
