// Topic tags (Discourse's, NodeBB's): set when a topic starts and changed later by its author (while
// open) or a moderator, in one topic:updated; a forum's listing filtered by tag, a tag's topics
// across every readable forum, and the tags in use, most used first. Bad tags and others change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, ack, collect, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';
import { createRest } from '../client/sdk/rest.js';

let s: TestServer;
let admin: { id: string; token: string };
let mod: { id: string; token: string };
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let open: string;
let staff: string;
beforeAll(async () => {
  s = await startTestServer();
  admin = await s.user('tg_admin', 'admin');
  mod = await s.user('tg_mod', 'moderator');
  alice = await s.user('tg_alice');
  bob = await s.user('tg_bob');
  open = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Help' } })).body.forum.id;
  staff = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Staff' } })).body.forum.id;
  await s.api('PATCH', `/forums/${staff}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
});
afterAll(() => s?.close());

const start = async (forumId: string, title: string, tags: string[] | undefined, who = alice) => {
  const res = await s.api('POST', `/forums/${forumId}/topics`, { token: who.token, body: { title, body: 'b', ...(tags && { tags }) } });
  expect(res.status).toBe(201);
  return res.body.topic as { id: string; tags?: string[] };
};
const titles = (list: { topics: Array<{ title: string }> }) => list.topics.map((t) => t.title);

describe('topic tags', () => {
  it('are kept in lower case, filter listings, list across forums a reader may read, and count', async () => {
    const forumWatch = await s.socket();
    await ack(forumWatch, 'forum:subscribe', { forumId: open });
    const opened = collect(forumWatch, 'post:created', 1);
    const wifi = await start(open, 'Wifi drops', ['Linux', 'network']);
    // A listing adds the new topic from its opening post's event, tags included.
    expect((await opened)[0]).toMatchObject({ topicId: wifi.id, post: { number: 1 }, topicTags: ['linux', 'network'] });
    expect(wifi.tags).toEqual(['linux', 'network']);
    await start(open, 'Printer jam', ['hardware']);
    await start(open, 'Kernel panic', ['linux']);
    await start(open, 'Untagged', undefined);
    await start(staff, 'Server upgrade', ['linux'], mod);

    const inForum = (await s.api('GET', `/forums/${open}/topics?tag=LINUX`)).body;
    expect(titles(inForum)).toEqual(['Kernel panic', 'Wifi drops']);
    expect((await s.api('GET', `/topics/${wifi.id}`)).body.topic.tags).toEqual(['linux', 'network']);
    // Across the board: a member reads the public forum's; a moderator the staff forum's too.
    expect(titles((await s.api('GET', '/tags/linux', { token: alice.token })).body)).toEqual(['Kernel panic', 'Wifi drops']);
    expect(titles((await s.api('GET', '/tags/linux', { token: mod.token })).body)).toEqual(['Server upgrade', 'Kernel panic', 'Wifi drops']);
    expect((await s.api('GET', '/tags/nothing-here')).body).toMatchObject({ topics: [], total: 0, page: 1, pageCount: 1 });
    expect((await s.api('GET', '/tags', { token: alice.token })).body.tags).toEqual([
      { name: 'linux', topics: 2 },
      { name: 'hardware', topics: 1 },
      { name: 'network', topics: 1 },
    ]);
    expect((await s.api('GET', '/tags', { token: mod.token })).body.tags[0]).toEqual({ name: 'linux', topics: 3 });

    // The author retags, live; a moderator too (logged); [] removes them.
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: wifi.id });
    const updated = collect(watcher, 'topic:updated', 1);
    const retagged = await s.api('PATCH', `/topics/${wifi.id}`, { token: alice.token, body: { tags: ['network', 'wifi'] } });
    expect(retagged.status).toBe(200);
    expect((await updated)[0].topic).toMatchObject({ id: wifi.id, title: 'Wifi drops', tags: ['network', 'wifi'] });
    const both = await s.api('PATCH', `/topics/${wifi.id}`, { token: mod.token, body: { title: 'Wifi drops hourly', tags: ['wifi'] } });
    expect(both.body.topic).toMatchObject({ title: 'Wifi drops hourly', tags: ['wifi'] });
    const log = (await s.api('GET', '/modlog', { token: mod.token })).body.entries.slice(0, 2).map((e: { action: string; details: Record<string, unknown> }) => [e.action, e.details.to]);
    expect(log).toEqual([['topic.retag', ['wifi']], ['topic.rename', 'Wifi drops hourly']]);
    const cleared = await s.api('PATCH', `/topics/${wifi.id}`, { token: alice.token, body: { tags: [] } });
    expect(cleared.body.topic).not.toHaveProperty('tags');
    expect((await s.models.Topic.findById(wifi.id).lean())?.tags).toBeUndefined();
    expect(titles((await s.api('GET', `/forums/${open}/topics?tag=linux`)).body)).toEqual(['Kernel panic']);

    // The SDK.
    const rest = createRest(s.url, alice.token);
    expect((await rest.tags()).tags.map((t) => t.name)).toEqual(['hardware', 'linux']);
    expect((await rest.tagged('hardware')).topics.map((t) => t.title)).toEqual(['Printer jam']);
    expect((await rest.editTopic(wifi.id, { tags: ['wifi'] })).topic.tags).toEqual(['wifi']);
  });

  it('stay with a held topic until it is approved', async () => {
    const checked = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Checked', approvePosts: true } })).body.forum.id;
    const held = await s.api('POST', `/forums/${checked}/topics`, { token: bob.token, body: { title: 'Please', body: 'b', tags: ['question'] } });
    expect(held.status).toBe(202);
    const approved = await s.api('POST', `/queue/${held.body.queued.id}/approve`, { token: mod.token, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.topic.tags).toEqual(['question']);
  });

  it('refuse bad tags, others’ topics, locked topics for authors; nothing changes', async () => {
    const t = await start(open, 'Keep me', ['keep']);
    const bad: unknown[] = [
      ['has space'],
      ['under_score'],
      ['-dash'],
      ['dash-'],
      ['two--dashes'],
      [''],
      ['x'.repeat(LIMITS.tagMax + 1)],
      Array.from({ length: LIMITS.tagsPerTopic + 1 }, (_, i) => `t${i}`),
      ['same', 'SAME'],
      'linux',
      [1],
      [{ $gt: '' }],
    ];
    for (const tags of bad) {
      const made = await s.api('POST', `/forums/${open}/topics`, { token: alice.token, body: { title: 'Bad', body: 'b', tags } });
      const changed = await s.api('PATCH', `/topics/${t.id}`, { token: alice.token, body: { tags } });
      expect([tags, made.status, changed.status]).toEqual([tags, 400, 400]);
    }
    expect((await s.api('PATCH', `/topics/${t.id}`, { token: alice.token, body: {} })).status).toBe(400);
    expect((await s.api('PATCH', `/topics/${t.id}`, { token: bob.token, body: { tags: ['mine'] } })).status).toBe(403);
    expect((await s.api('PATCH', `/topics/${t.id}`, { body: { tags: ['mine'] } })).status).toBe(401);
    expect((await s.api('POST', `/topics/${t.id}/lock`, { token: mod.token, body: {} })).status).toBe(200);
    expect((await s.api('PATCH', `/topics/${t.id}`, { token: alice.token, body: { tags: ['late'] } })).status).toBe(423);
    expect((await s.api('GET', `/forums/${open}/topics?tag=bad tag`)).status).toBe(400);
    expect((await s.api('GET', '/tags/bad%20tag')).status).toBe(400);
    expect((await s.api('GET', '/tags/ok?page=0')).status).toBe(400);
    expect(await s.models.Topic.countDocuments({ title: 'Bad' })).toBe(0);
    expect((await s.models.Topic.findById(t.id).lean())?.tags).toEqual(['keep']);
  });
});
