// phpBB's per-forum post approval: in a forum with `approvePosts`, every member's new topic and
// reply waits for a moderator, whatever the board-wide threshold (off here); moderators, admins
// and bots are never held; other forums are not affected; an admin's change takes effect at once
// (the access cache that carries the flag is told); bad input and non-admins change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, ack, type TestServer } from './helpers/server.js';

let s: TestServer;
let admin: { id: string; token: string };
let mod: { id: string; token: string };
let member: { id: string; username: string; token: string };
beforeAll(async () => {
  s = await startTestServer(); // APPROVE_POSTS_UNDER off
  admin = await s.user('fa_admin', 'admin');
  mod = await s.user('fa_mod', 'moderator');
  member = await s.user('fa_member');
  await s.models.User.updateOne({ _id: member.id }, { $set: { postCount: 500 } }); // a long-standing member
});
afterAll(() => s?.close());

const forumRow = async (id: string) => ((await s.api('GET', '/forums', { token: member.token })).body.forums as Array<Record<string, unknown>>).find((f) => f.id === id);
const reply = (topicId: string, token: string, body: string) => s.api('POST', `/topics/${topicId}/posts`, { token, body: { body } });

describe('per-forum post approval', () => {
  it('holds every member’s post in that forum only, never staff’s or bots’, and follows the admin’s switch at once', async () => {
    const made = await s.api('POST', '/forums', { token: admin.token, body: { title: 'Announcements desk', approvePosts: true } });
    expect(made.status).toBe(201);
    expect(made.body.forum.approvePosts).toBe(true);
    const moderated = made.body.forum.id as string;
    const open = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Open chat' } })).body.forum.id as string;
    expect(await forumRow(moderated)).toMatchObject({ approvePosts: true });
    expect(await forumRow(open)).not.toHaveProperty('approvePosts');
    const inModerated = (await s.api('POST', `/forums/${moderated}/topics`, { token: admin.token, body: { title: 'Read me', body: 'rules' } })).body.topic.id as string;
    const inOpen = (await s.api('POST', `/forums/${open}/topics`, { token: admin.token, body: { title: 'Hi', body: 'hello' } })).body.topic.id as string;

    // A member: held there (REST and socket, replies and topics), posted at once elsewhere.
    const held = await reply(inModerated, member.token, 'may I?');
    expect(held.status).toBe(202);
    expect(held.body.queued).toMatchObject({ kind: 'reply', forumId: moderated, topicId: inModerated });
    const sock = await s.socket(member.token);
    expect(await ack(sock, 'post:create', { topicId: inModerated, body: 'over the socket', clientId: 'fa-1' })).toMatchObject({ ok: true, data: { queued: { kind: 'reply' } } });
    const topicHeld = await s.api('POST', `/forums/${moderated}/topics`, { token: member.token, body: { title: 'My idea', body: 'hear me out' } });
    expect([topicHeld.status, topicHeld.body.queued?.kind]).toEqual([202, 'topic']);
    expect((await reply(inOpen, member.token, 'no wait here')).status).toBe(201);
    expect((await s.api('GET', `/topics/${inModerated}`)).body.topic.postCount).toBe(1);

    // Staff and bots post at once.
    expect((await reply(inModerated, mod.token, 'moderator')).status).toBe(201);
    const bot = (await s.api('POST', '/bots', { token: admin.token, body: { username: 'fa_bot' } })).body.bot;
    const botToken = (await s.api('POST', `/bots/${bot.id}/tokens`, { token: admin.token, body: { scopes: ['read', 'post'] } })).body.token;
    expect((await reply(inModerated, botToken, 'bot')).status).toBe(201);

    // Approved: posted as the member's.
    expect((await s.api('POST', `/queue/${held.body.queued.id}/approve`, { token: mod.token, body: {} })).status).toBe(200);
    expect((await s.api('GET', `/topics/${inModerated}`)).body.posts.map((p: { body: string }) => p.body)).toContain('may I?');

    // Switched off, then on again: each takes effect with the next post (this node's cache is told).
    expect((await s.api('PATCH', `/forums/${moderated}`, { token: admin.token, body: { approvePosts: false } })).body.forum).not.toHaveProperty('approvePosts');
    expect((await reply(inModerated, member.token, 'straight in')).status).toBe(201);
    expect((await s.api('PATCH', `/forums/${moderated}`, { token: admin.token, body: { approvePosts: true } })).body.forum.approvePosts).toBe(true);
    expect((await reply(inModerated, member.token, 'held again')).status).toBe(202);
    const log = (await s.api('GET', '/modlog', { token: admin.token })).body.entries.slice(0, 2).map((e: { action: string; details: Record<string, unknown> }) => [e.action, e.details.approvePosts]);
    expect(log).toEqual([['forum.update', true], ['forum.update', false]]);
  });

  it('refuses bad values and non-admins, changing nothing', async () => {
    const forumId = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Plain' } })).body.forum.id as string;
    for (const body of [{ approvePosts: 'yes' }, { approvePosts: 1 }, { approvePosts: null }, { approvePosts: { $ne: false } }]) {
      const r = await s.api('PATCH', `/forums/${forumId}`, { token: admin.token, body });
      expect([body, r.status, r.body.error?.code]).toEqual([body, 400, 'BAD_REQUEST']);
    }
    expect((await s.api('POST', '/forums', { token: admin.token, body: { title: 'Bad', approvePosts: 'on' } })).status).toBe(400);
    expect((await s.api('PATCH', `/forums/${forumId}`, { token: mod.token, body: { approvePosts: true } })).status).toBe(403);
    expect((await s.api('PATCH', `/forums/${forumId}`, { token: member.token, body: { approvePosts: true } })).status).toBe(403);
    expect((await s.api('PATCH', `/forums/${forumId}`, { body: { approvePosts: true } })).status).toBe(401);
    expect(await forumRow(forumId)).not.toHaveProperty('approvePosts');
    expect((await s.models.Forum.findById(forumId).lean())?.approvePosts).toBeUndefined();
  });
});
