// phpBB's announcements: a moderator makes a topic an announcement of its forum (heading every
// page of that forum's listing) or a global one (heading every forum's, for those who may read
// its own forum), and back; announced live as topic:updated, logged; pages count without them;
// bad input and non-moderators refused, changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, ack, collect, receivedWithin, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';

type Row = { id: string; title: string; announcement?: string; pinned?: true; forumId: string };
let s: TestServer;
let ctx: { admin: { token: string }; mod: { token: string }; member: { token: string }; news: string; chat: string; staff: string };
beforeAll(async () => {
  s = await startTestServer();
  const admin = await s.user('ann_admin', 'admin');
  const mod = await s.user('ann_mod', 'moderator');
  const member = await s.user('ann_member');
  const forum = async (title: string) => (await s.api('POST', '/forums', { token: admin.token, body: { title, description: 'd' } })).body.forum.id as string;
  const [news, chat, staff] = [await forum('News'), await forum('Chat'), await forum('Staff')];
  await s.api('PATCH', `/forums/${staff}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
  ctx = { admin, mod, member, news, chat, staff };
});
afterAll(() => s?.close());

const topic = async (forumId: string, title: string) => (await s.api('POST', `/forums/${forumId}/topics`, { token: ctx.admin.token, body: { title, body: 'b' } })).body.topic.id as string;
const listing = async (forumId: string, token?: string, page = 1) => (await s.api('GET', `/forums/${forumId}/topics?page=${page}`, { token })).body as { topics: Row[]; pageCount: number };
const titles = async (forumId: string, token?: string, page = 1) => (await listing(forumId, token, page)).topics.map((t) => [t.title, t.announcement ?? (t.pinned ? 'pinned' : null)]);

describe('announcements', () => {
  it('heads every page of its forum, global ones every readable forum; live, logged, and undone', async () => {
    const { mod, member, news, chat, staff } = ctx;
    for (let i = 0; i <= LIMITS.topicsPerPage; i++) await topic(chat, `Chat ${i}`); // one page and one more
    const rules = await topic(chat, 'Chat rules');
    const sticky = await topic(chat, 'Sticky');
    await s.api('POST', `/topics/${sticky}/pin`, { token: mod.token, body: {} });
    const launch = await topic(news, 'We launched');
    const secret = await topic(staff, 'Staff meeting');
    expect((await listing(chat)).pageCount).toBe(2);

    const watcher = await s.socket(member.token);
    expect((await ack(watcher, 'forum:subscribe', { forumId: chat })).ok).toBe(true);
    const updated = collect(watcher, 'topic:updated', 1);
    const made = await s.api('POST', `/topics/${rules}/announce`, { token: mod.token, body: { reason: 'Read first' } });
    expect(made.status).toBe(200);
    expect(made.body.topic).toMatchObject({ id: rules, announcement: 'forum' });
    expect((await updated)[0]).toMatchObject({ topicId: rules, topic: { announcement: 'forum' } });
    // Again: nothing changes, nothing is announced.
    const quiet = receivedWithin(watcher, 'topic:updated', 500);
    expect((await s.api('POST', `/topics/${rules}/announce`, { token: mod.token, body: { scope: 'forum' } })).body.topic.announcement).toBe('forum');
    expect(await quiet).toBe(false);

    expect((await s.api('POST', `/topics/${launch}/announce`, { token: mod.token, body: { scope: 'global' } })).status).toBe(200);
    expect((await s.api('POST', `/topics/${secret}/announce`, { token: mod.token, body: { scope: 'global' } })).status).toBe(200);

    // A member: the readable global one, then the forum's, then the pinned one, then the page; on page 2 the announcements again.
    const page1 = await titles(chat, member.token);
    expect(page1.slice(0, 3)).toEqual([
      ['We launched', 'global'],
      ['Chat rules', 'forum'],
      ['Sticky', 'pinned'],
    ]);
    expect(page1).toHaveLength(3 + LIMITS.topicsPerPage);
    // Page 2: the announcements, then what is left of the 26 plain topics (the announced one left their count; the pinned one never was in it).
    expect(await titles(chat, member.token, 2)).toEqual([
      ['We launched', 'global'],
      ['Chat rules', 'forum'],
      ['Chat 0', null],
    ]);
    // The global one carries its own forum; a moderator also sees the staff forum's.
    expect((await listing(chat, member.token)).topics[0]).toMatchObject({ id: launch, forumId: news });
    expect((await titles(chat, mod.token)).slice(0, 3)).toEqual([
      ['Staff meeting', 'global'],
      ['We launched', 'global'],
      ['Chat rules', 'forum'],
    ]);
    // In its own forum a global one heads the list too, once.
    expect((await titles(news, member.token)).filter(([t]) => t === 'We launched')).toEqual([['We launched', 'global']]);

    // Scope changed, then undone: back among the others, by activity.
    expect((await s.api('POST', `/topics/${rules}/announce`, { token: mod.token, body: { scope: 'global' } })).body.topic.announcement).toBe('global');
    const undone = await s.api('POST', `/topics/${rules}/unannounce`, { token: mod.token, body: {} });
    expect(undone.status).toBe(200);
    expect(undone.body.topic.announcement).toBeUndefined();
    expect((await titles(chat, member.token)).slice(0, 2)).toEqual([
      ['We launched', 'global'],
      ['Sticky', 'pinned'],
    ]);
    expect((await titles(chat, member.token, 2)).map(([t]) => t)).toEqual(['We launched', 'Chat 1', 'Chat 0']);
    const log = (await s.api('GET', '/modlog', { token: ctx.admin.token })).body.entries.slice(0, 5).map((e: { action: string; details: Record<string, unknown> }) => [e.action, e.details.scope ?? e.details.was]);
    expect(log).toEqual([
      ['topic.unannounce', 'global'],
      ['topic.announce', 'global'],
      ['topic.announce', 'global'],
      ['topic.announce', 'global'],
      ['topic.announce', 'forum'],
    ]);
  });

  it('tells every socket when the global announcements change, so every forum’s listing can load them again', async () => {
    const { mod, news, chat } = ctx;
    const t = await topic(news, 'Board news');
    const anyone = await s.socket(); // follows no forum at all
    const heard = () => receivedWithin(anyone, 'announcements:changed', 600);
    // A forum's own announcement concerns its own rooms only.
    let told = heard();
    expect((await s.api('POST', `/topics/${t}/announce`, { token: mod.token, body: { scope: 'forum' } })).status).toBe(200);
    expect(await told).toBe(false);
    for (const [what, change] of [
      ['made global', () => s.api('POST', `/topics/${t}/announce`, { token: mod.token, body: { scope: 'global' } })],
      ['renamed while global', () => s.api('PATCH', `/topics/${t}`, { token: mod.token, body: { title: 'Board news, again' } })],
      ['moved while global', () => s.api('POST', `/topics/${t}/move`, { token: mod.token, body: { forumId: chat } })],
      ['no longer global', () => s.api('POST', `/topics/${t}/unannounce`, { token: mod.token, body: {} })],
    ] as const) {
      told = heard();
      expect([what, (await change()).status]).toEqual([what, 200]);
      expect([what, await told]).toEqual([what, true]);
    }
    // A plain topic's changes are not announced board-wide.
    told = heard();
    expect((await s.api('PATCH', `/topics/${t}`, { token: mod.token, body: { title: 'Plain again' } })).status).toBe(200);
    expect(await told).toBe(false);
  });

  it('refuses members, guests, bad input and deleted topics, and changes nothing', async () => {
    const { mod, member, news } = ctx;
    const t = await topic(news, 'Plain');
    expect((await s.api('POST', `/topics/${t}/announce`, { token: member.token, body: {} })).status).toBe(403);
    expect((await s.api('POST', `/topics/${t}/announce`, { body: {} })).status).toBe(401);
    for (const body of [{ scope: 'board' }, { scope: 1 }, { scope: 'global', extra: true }, { reason: '' }]) {
      const r = await s.api('POST', `/topics/${t}/announce`, { token: mod.token, body });
      expect([body, r.status, r.body.error?.code]).toEqual([body, 400, 'BAD_REQUEST']);
    }
    expect((await s.api('POST', '/topics/nope/announce', { token: mod.token, body: {} })).status).toBe(400);
    expect((await s.api('POST', '/topics/ffffffffffffffffffffffff/announce', { token: mod.token, body: {} })).status).toBe(404);
    expect((await s.api('DELETE', `/topics/${t}`, { token: mod.token, body: {} })).status).toBe(200);
    expect((await s.api('POST', `/topics/${t}/announce`, { token: mod.token, body: {} })).body.error.code).toBe('CONFLICT');
    expect((await s.models.Topic.findById(t).lean())?.announcement).toBeUndefined();
  });
});
