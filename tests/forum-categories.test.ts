// phpBB's categories and forum order on the board index: an admin names a forum's category and
// its place; GET /forums lists forums by place (then creation) with their categories; changes
// and bad input as any admin edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';
import { seedDemoBoard } from '../server/seed/demo-board.js';

let s: TestServer;
let admin: { id: string; token: string };
beforeAll(async () => {
  s = await startTestServer();
  admin = await s.user('cat_admin', 'admin');
});
afterAll(() => s?.close());

type Row = { id: string; title: string; order: number; category?: string };
const board = async () => ((await s.api('GET', '/forums')).body.forums as Row[]).map((f) => [f.title, f.category ?? null, f.order]);
const make = async (body: Record<string, unknown>) => {
  const r = await s.api('POST', '/forums', { token: admin.token, body: { description: 'd', ...body } });
  expect(r.status).toBe(201);
  return r.body.forum as Row;
};

describe('forum categories and order', () => {
  it('lists forums by their place, each with its category; an admin moves and recategorises them', async () => {
    const news = await make({ title: 'News', category: 'The board' });
    const chat = await make({ title: 'Chat', category: ' Community ' });
    const help = await make({ title: 'Help', category: 'The board', order: 1 });
    expect(news).toMatchObject({ order: 0, category: 'The board' });
    expect(chat).toMatchObject({ order: 1, category: 'Community' }); // trimmed; placed after the forums there were
    expect(await board()).toEqual([
      ['News', 'The board', 0],
      ['Chat', 'Community', 1],
      ['Help', 'The board', 1], // same place: by creation
    ]);

    const moved = await s.api('PATCH', `/forums/${help.id}`, { token: admin.token, body: { order: 0 } });
    expect(moved.status).toBe(200);
    expect(moved.body.forum).toMatchObject({ title: 'Help', order: 0, category: 'The board' });
    expect(await board()).toEqual([
      ['News', 'The board', 0],
      ['Help', 'The board', 0],
      ['Chat', 'Community', 1],
    ]);
    expect((await s.api('PATCH', `/forums/${chat.id}`, { token: admin.token, body: { category: null } })).body.forum.category).toBeUndefined();
    expect((await s.api('PATCH', `/forums/${news.id}`, { token: admin.token, body: { category: 'Staff' } })).body.forum.category).toBe('Staff');
    expect(await board()).toEqual([
      ['News', 'Staff', 0],
      ['Help', 'The board', 0],
      ['Chat', null, 1],
    ]);
    const logged = (await s.api('GET', '/modlog', { token: admin.token })).body.entries[0];
    expect(logged).toMatchObject({ action: 'forum.update', target: { type: 'forum', id: news.id }, details: { category: 'Staff' } });
  });

  it('refuses bad input and non-admins, and changes nothing', async () => {
    const forum = await make({ title: 'Steady', category: 'Kept', order: 7 });
    const member = await s.user('cat_member');
    const before = await board();
    for (const body of [
      { title: 'x', category: '' },
      { title: 'x', category: '   ' },
      { title: 'x', category: 'c'.repeat(LIMITS.categoryMax + 1) },
      { title: 'x', category: 5 },
      { title: 'x', order: -1 },
      { title: 'x', order: 1.5 },
      { title: 'x', order: LIMITS.forumOrderMax + 1 },
      { title: 'x', order: '2' },
    ]) {
      const r = await s.api('POST', '/forums', { token: admin.token, body });
      expect([body, r.status, r.body.error?.code]).toEqual([body, 400, 'BAD_REQUEST']);
    }
    for (const body of [{ category: '' }, { order: -3 }, { order: null }, { category: ['a'] }]) {
      const r = await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body });
      expect([body, r.status, r.body.error?.code]).toEqual([body, 400, 'BAD_REQUEST']);
    }
    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: member.token, body: { category: 'Mine' } })).status).toBe(403);
    expect((await s.api('POST', '/forums', { token: member.token, body: { title: 'Mine', category: 'Mine' } })).status).toBe(403);
    expect(await board()).toEqual(before);
  });
});

describe('subforums', () => {
  it('puts a forum in another, lists it with its parent, and refuses loops, unknown parents and non-admins', async () => {
    const parent = await make({ title: 'Parent' });
    const child = await make({ title: 'Child', parentId: parent.id });
    const grandchild = await make({ title: 'Grandchild', parentId: child.id });
    const parentOf = async () => Object.fromEntries(((await s.api('GET', '/forums')).body.forums as Array<Row & { parentId?: string }>).map((f) => [f.title, f.parentId ?? null]));
    expect(await parentOf()).toMatchObject({ Parent: null, Child: parent.id, Grandchild: child.id });
    expect((await s.api('GET', `/forums/${child.id}/topics`)).body.forum.parentId).toBe(parent.id);

    const before = await parentOf();
    for (const [id, parentId] of [
      [parent.id, grandchild.id], // below itself
      [parent.id, parent.id], // itself
    ]) {
      const r = await s.api('PATCH', `/forums/${id}`, { token: admin.token, body: { parentId } });
      expect([r.status, r.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
    }
    expect((await s.api('PATCH', `/forums/${child.id}`, { token: admin.token, body: { parentId: 'ffffffffffffffffffffffff' } })).status).toBe(404);
    expect((await s.api('POST', '/forums', { token: admin.token, body: { title: 'Orphan', parentId: 'ffffffffffffffffffffffff' } })).status).toBe(404);
    expect((await s.api('POST', '/forums', { token: admin.token, body: { title: 'Orphan', parentId: 'nope' } })).status).toBe(400);
    const member = await s.user('sub_member');
    expect((await s.api('PATCH', `/forums/${child.id}`, { token: member.token, body: { parentId: null } })).status).toBe(403);
    expect(await parentOf()).toEqual(before);

    // Moved up, then back to the board index.
    expect((await s.api('PATCH', `/forums/${grandchild.id}`, { token: admin.token, body: { parentId: parent.id } })).body.forum.parentId).toBe(parent.id);
    expect((await s.api('PATCH', `/forums/${child.id}`, { token: admin.token, body: { parentId: null } })).body.forum.parentId).toBeUndefined();
    expect(await parentOf()).toMatchObject({ Parent: null, Child: null, Grandchild: parent.id });
  });
});

describe('the demo board', () => {
  let d: TestServer;
  beforeAll(async () => {
    d = await startTestServer();
  });
  afterAll(() => d?.close());

  it('seeds its forums under two categories, in board order, with a subforum', async () => {
    expect(await seedDemoBoard(d.app.services, 'always')).toBe(true);
    const forums = (await d.api('GET', '/forums')).body.forums as Array<Row & { parentId?: string }>;
    const help = forums.find((f) => f.title === 'Help & Support')!;
    expect(forums.map((f) => [f.category ?? null, f.title, f.parentId ?? null])).toEqual([
      ['The board', 'Announcements', null],
      [null, 'Bug reports', help.id],
      ['The board', 'Help & Support', null],
      ['Community', 'General Discussion', null],
      ['Community', 'Off-topic', null],
    ]);
    // A few topics carry tags, so the demo shows them.
    expect(((await d.api('GET', '/tags')).body.tags as Array<{ name: string }>).map((t) => t.name).sort()).toEqual(['code', 'hardware', 'how-to', 'mobile', 'poll', 'profile']);
  });
});
