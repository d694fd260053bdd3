import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  // Five members, a moderator, an admin and a bot account, joined a day apart in this order.
  const people: Array<[string, 'member' | 'moderator' | 'admin' | 'bot', number, number]> = [
    ['Zoe', 'member', 12, 1],
    ['adam', 'member', 40, 7],
    ['Mia', 'moderator', 3, 0],
    ['bella', 'member', 0, 2],
    ['Root', 'admin', 25, 9],
    ['mike', 'member', 12, 4],
    ['helper', 'bot', 500, 50],
  ];
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (const [i, [name, role, posts, thanks]] of people.entries()) {
    const u = await s.user(name, role);
    await s.models.User.updateOne({ _id: u.id }, { $set: { postCount: posts, thanksReceived: thanks, joinedAt: new Date(start + i * 86_400_000) } });
  }
});
afterAll(() => s?.close());

const names = async (query = '') => {
  const r = await s.api('GET', `/members${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.members.map((m: { username: string }) => m.username);
};

describe('the member list', () => {
  it('lists every member but bots, by name, posts, joining or thanks, either way round', async () => {
    expect(await names()).toEqual(['adam', 'bella', 'Mia', 'mike', 'Root', 'Zoe']);
    expect(await names('?order=desc')).toEqual(['Zoe', 'Root', 'mike', 'Mia', 'bella', 'adam']);
    // Ties (Zoe and mike, 12 posts each) keep one order: by id, so the later one first when descending.
    expect(await names('?sort=posts')).toEqual(['adam', 'Root', 'mike', 'Zoe', 'Mia', 'bella']);
    expect(await names('?sort=joined')).toEqual(['Zoe', 'adam', 'Mia', 'bella', 'Root', 'mike']);
    expect(await names('?sort=joined&order=desc')).toEqual(['mike', 'Root', 'bella', 'Mia', 'adam', 'Zoe']);
    expect(await names('?sort=thanks')).toEqual(['Root', 'adam', 'mike', 'bella', 'Zoe', 'Mia']);
  });

  it('answers cards with ranks, the team alone, names by their start, and pages', async () => {
    const page = (await s.api('GET', '/members?sort=posts')).body;
    expect(page).toMatchObject({ total: 6, page: 1, pageCount: 1 });
    expect(page.members[0]).toMatchObject({ username: 'adam', postCount: 40, thanksReceived: 7, rank: expect.any(String), role: 'member', isBot: false, joinedAt: '2026-01-02T00:00:00.000Z' });
    expect(await names('?filter=team')).toEqual(['Mia', 'Root']);
    expect(await names('?prefix=MI')).toEqual(['Mia', 'mike']);
    expect((await s.api('GET', '/members?prefix=.*')).body).toMatchObject({ members: [], total: 0, pageCount: 1 });
    // 30 more members: two pages of 25; a page past the end answers the last.
    for (let i = 0; i < 30; i++) await s.user(`page_member_${String(i).padStart(2, '0')}`);
    const second = (await s.api('GET', '/members?page=2')).body;
    expect(second).toMatchObject({ total: 36, page: 2, pageCount: 2 });
    expect(second.members).toHaveLength(11);
    expect((await s.api('GET', '/members?page=99')).body.page).toBe(2);
  });

  it('refuses bad queries with BAD_REQUEST', async () => {
    for (const q of ['?sort=age', '?order=up', '?filter=bots', '?page=0', '?page=x', `?prefix=${'a'.repeat(40)}`]) {
      const r = await s.api('GET', `/members${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
  });
});
