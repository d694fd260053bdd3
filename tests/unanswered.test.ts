// GET /unanswered (phpBB's "Unanswered topics"): topics whose opening post is their only visible
// post, in forums the viewer may read, newest first, paged; unread flags for members; bad input refused.
import { describe, expect, it } from 'vitest';
import { seededServer, replyAs } from './helpers/server.js';
import { createRest } from '../client/sdk/rest.js';
import { LIMITS } from '../shared/limits.js';
import { ACTIVE_DAYS } from '../server/services/topics-across.service.js';

const env = seededServer();

const titles = (body: { topics: Array<{ title: string }> }) => body.topics.map((t) => t.title);
const newTopic = async (forumId: string, token: string, title: string) => {
  const made = await env.s.api('POST', `/forums/${forumId}/topics`, { token, body: { title, body: `About ${title}` } });
  expect(made.status).toBe(201);
  return made.body as { topic: { id: string }; post: { id: string } };
};

describe('unanswered topics', () => {
  it('lists topics without replies, newest first, across readable forums; a reply takes one off and deleting it puts it back', async () => {
    const { admin, member, forum } = env.ctx;
    const other = (await env.s.api('POST', '/forums', { token: admin.token, body: { title: 'Other', description: 'x' } })).body.forum;
    const staff = (await env.s.api('POST', '/forums', { token: admin.token, body: { title: 'Staff', description: 'x' } })).body.forum;
    expect((await env.s.api('PATCH', `/forums/${staff.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } })).status).toBe(200);
    const a = await newTopic(forum.id, member.token, 'Question A');
    await newTopic(other.id, member.token, 'Question B');
    await newTopic(staff.id, admin.token, 'Staff question');
    const deleted = await newTopic(forum.id, member.token, 'Deleted question');
    expect((await env.s.api('DELETE', `/topics/${deleted.topic.id}`, { token: admin.token })).status).toBe(200);

    const guest = await env.s.api('GET', '/unanswered');
    expect(guest.status).toBe(200);
    expect(titles(guest.body)).toEqual(['Question B', 'Question A', 'Hello world']);
    expect(guest.body).toMatchObject({ total: 3, page: 1, pageCount: 1 });
    expect(guest.body.forums.map((f: { title: string }) => f.title).sort()).toEqual(['General', 'Other']);
    expect(titles((await env.s.api('GET', '/unanswered', { token: admin.token })).body)).toEqual(['Staff question', 'Question B', 'Question A', 'Hello world']);

    const replier = await env.s.user('unanswered_replier');
    const reply = await replyAs(env.s, a.topic.id, replier, 'An answer');
    expect(titles((await env.s.api('GET', '/unanswered')).body)).toEqual(['Question B', 'Hello world']);
    expect((await env.s.api('DELETE', `/posts/${reply}`, { token: admin.token })).status).toBe(200);
    expect(titles((await env.s.api('GET', '/unanswered')).body)).toEqual(['Question B', 'Question A', 'Hello world']);
  });

  it('tells a member which are unread; pages as forum listings do; a page past the end answers the last', async () => {
    const reader = await env.s.user('unanswered_reader'); // what was posted before they joined counts as read
    await newTopic(env.ctx.forum.id, env.ctx.member.token, 'Fresh one');
    const two = await newTopic(env.ctx.forum.id, env.ctx.member.token, 'Fresh two');
    const flags = async () => ((await env.s.api('GET', '/unanswered', { token: reader.token })).body.topics as Array<{ title: string; unread?: boolean }>).map((t) => [t.title, t.unread]);
    expect((await flags()).slice(0, 4)).toEqual([['Fresh two', true], ['Fresh one', true], ['Question B', false], ['Question A', false]]);
    expect((await env.s.api('POST', `/topics/${two.topic.id}/read`, { token: reader.token, body: { number: 1 } })).status).toBe(200);
    expect((await flags()).slice(0, 2)).toEqual([['Fresh two', false], ['Fresh one', true]]);
    expect((await env.s.api('GET', '/unanswered')).body.topics[0].unread).toBeUndefined(); // guests track nothing

    const before = (await env.s.api('GET', '/unanswered')).body.total as number;
    const per = LIMITS.topicsPerPage;
    for (let i = 0; i < per; i++) await newTopic(env.ctx.forum.id, env.ctx.member.token, `Batch ${i}`);
    const p1 = (await env.s.api('GET', '/unanswered')).body;
    expect(p1).toMatchObject({ total: before + per, page: 1, pageCount: 2 });
    expect(titles(p1)).toEqual(Array.from({ length: per }, (_, i) => `Batch ${per - 1 - i}`));
    const last = (await env.s.api('GET', '/unanswered?page=9')).body;
    expect(last.page).toBe(2);
    expect(last.topics).toHaveLength(before);
    // Through the SDK, as a helper bot would read it.
    expect(titles(await createRest(env.s.url, env.ctx.member.token).unanswered(2))).toEqual(titles(last));
  });

  it('refuses a malformed page', async () => {
    for (const q of ['page=0', 'page=-1', 'page=abc', 'page=1.5']) {
      const res = await env.s.api('GET', `/unanswered?${q}`);
      expect([q, res.status, res.body.error.code]).toEqual([q, 400, 'BAD_REQUEST']);
    }
  });
});

// GET /active (phpBB's "Active topics", Discourse's "Latest"): topics posted in within the last
// ACTIVE_DAYS days, in forums the viewer may read, last posted in first; a reply brings one back.
describe('active topics', () => {
  it('lists topics posted in lately, across readable forums, and not older ones until someone posts', async () => {
    const { admin, member } = env.ctx;
    const forum = (await env.s.api('POST', '/forums', { token: admin.token, body: { title: 'Lately', description: 'x' } })).body.forum;
    const hidden = (await env.s.api('POST', '/forums', { token: admin.token, body: { title: 'Hidden', description: 'x' } })).body.forum;
    expect((await env.s.api('PATCH', `/forums/${hidden.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } })).status).toBe(200);
    await newTopic(forum.id, member.token, 'Busy now');
    const old = await newTopic(forum.id, member.token, 'Quiet for weeks');
    await newTopic(hidden.id, admin.token, 'Staff only, busy');
    // Its last post was eight days ago.
    await env.s.models.Topic.updateOne({ _id: old.topic.id }, { $set: { lastPostAt: new Date(Date.now() - (ACTIVE_DAYS + 1) * 86_400_000) } });

    const guest = (await env.s.api('GET', '/active')).body;
    expect(titles(guest).slice(0, 1)).toEqual(['Busy now']);
    expect(titles(guest)).not.toContain('Quiet for weeks');
    expect(titles(guest)).not.toContain('Staff only, busy');
    expect(titles((await env.s.api('GET', '/active', { token: admin.token })).body)[0]).toBe('Staff only, busy');
    // A reply makes the old one active again, first.
    await replyAs(env.s, old.topic.id, await env.s.user('active_replier'), 'Still here');
    expect(titles((await env.s.api('GET', '/active')).body).slice(0, 2)).toEqual(['Quiet for weeks', 'Busy now']);
    expect(titles(await createRest(env.s.url, member.token).active())).toEqual(titles((await env.s.api('GET', '/active')).body));
    for (const q of ['page=0', 'page=x']) expect((await env.s.api('GET', `/active?${q}`)).status).toBe(400);
  });
});
