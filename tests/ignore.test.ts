import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, receivedWithin, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const ignore = (token: string | undefined, userId: string) => s.api('PUT', `/users/${userId}/ignore`, { token });
const unignore = (token: string | undefined, userId: string) => s.api('DELETE', `/users/${userId}/ignore`, { token });
const unreadCount = async (token: string) => (await s.api('GET', '/notifications', { token })).body.unreadCount as number;

describe('ignoring a member', () => {
  it("keeps the ignored member's mentions, quotes, replies and thanks from notifying, until unignored", async () => {
    const { forum } = await seedForum(s);
    const ann = await s.user('ign_ann');
    const troll = await s.user('ign_troll');
    const friend = await s.user('ign_friend');
    const topic = (await s.api('POST', `/forums/${forum.id}/topics`, { token: ann.token, body: { title: 'Ann asks', body: 'A question' } })).body;
    expect((await ignore(ann.token, troll.id)).body).toEqual({ userId: troll.id, ignoring: true });
    expect((await ignore(ann.token, troll.id)).status).toBe(200); // again: no change
    expect((await s.api('GET', '/users/me', { token: ann.token })).body.ignoring).toEqual([{ id: troll.id, username: 'ign_troll' }]);

    const annSocket = await s.socket(ann.token);
    const heard = receivedWithin(annSocket, 'notification:new', 1_000);
    await s.api('POST', `/topics/${topic.topic.id}/posts`, { token: troll.token, body: { body: 'Hey @ign_ann, [quote="ign_ann"]A question[/quote] lol' } });
    await s.api('POST', `/posts/${topic.post.id}/thanks`, { token: troll.token });
    expect(await heard).toBe(false);
    expect(await unreadCount(ann.token)).toBe(0);

    // Others still reach her.
    await s.api('POST', `/topics/${topic.topic.id}/posts`, { token: friend.token, body: { body: 'Good question @ign_ann' } });
    await expect.poll(() => unreadCount(ann.token), { timeout: 3_000 }).toBe(1);

    // Unignored: the next mention notifies again.
    expect((await unignore(ann.token, troll.id)).body).toEqual({ userId: troll.id, ignoring: false });
    expect((await s.api('GET', '/users/me', { token: ann.token })).body.ignoring).toEqual([]);
    await s.api('POST', `/topics/${topic.topic.id}/posts`, { token: troll.token, body: { body: 'Sorry @ign_ann' } });
    await expect.poll(() => unreadCount(ann.token), { timeout: 3_000 }).toBe(2);
  });

  it('keeps an ignored member from starting a private conversation', async () => {
    const bea = await s.user('ign_bea');
    const pest = await s.user('ign_pest');
    const other = await s.user('ign_other');
    await ignore(bea.token, pest.id);
    const before = await s.models.Conversation.countDocuments({});
    const refused = await s.api('POST', '/conversations', { token: pest.token, body: { to: ['ign_other', 'ign_bea'], title: 'Hi', body: 'Hello' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('ign_bea does not take private messages from you');
    expect(await s.models.Conversation.countDocuments({})).toBe(before);
    // The other way round is fine, as is writing to someone else.
    expect((await s.api('POST', '/conversations', { token: bea.token, body: { to: ['ign_pest'], title: 'Stop', body: 'Please stop.' } })).status).toBe(201);
    expect((await s.api('POST', '/conversations', { token: pest.token, body: { to: ['ign_other'], title: 'Hi', body: 'Hello' } })).status).toBe(201);
    void other;
  });

  it('refuses guests, oneself, staff, unknown members and a list past its limit, and changes nothing', async () => {
    const cat = await s.user('ign_cat');
    const mod = await s.user('ign_mod', 'moderator');
    const admin = await s.user('ign_admin', 'admin');
    expect((await ignore(undefined, mod.id)).status).toBe(401);
    expect((await ignore(cat.token, cat.id)).status).toBe(400);
    for (const staff of [mod, admin]) {
      const r = await ignore(cat.token, staff.id);
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/cannot be ignored/);
    }
    expect((await ignore(cat.token, '0123456789abcdef01234567')).status).toBe(404);
    expect((await ignore(cat.token, 'not-an-id')).status).toBe(400);
    expect((await unignore(cat.token, '0123456789abcdef01234567')).status).toBe(404);
    expect((await s.api('GET', '/users/me', { token: cat.token })).body.ignoring).toEqual([]);

    const many = await Promise.all(Array.from({ length: 100 }, (_, i) => s.user(`ign_many_${i}`)));
    for (const m of many) expect((await ignore(cat.token, m.id)).status).toBe(200);
    const extra = await s.user('ign_one_more');
    const full = await ignore(cat.token, extra.id);
    expect(full.status).toBe(409);
    expect((await s.api('GET', '/users/me', { token: cat.token })).body.ignoring).toHaveLength(100);
  });
});
