// phpBB's topic "Views": a page of a topic served to a person counts once per viewer an hour
// (members by id, guests by address), never for API tokens or crawlers, nor for a refused page;
// counts gather in memory and are written every TOPIC_VIEWS_FLUSH_MS, and on shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let ctx: { admin: { token: string }; forumId: string };
beforeAll(async () => {
  s = await startTestServer({ topicViewsFlushMs: 50 });
  const admin = await s.user('views_admin', 'admin');
  const forumId = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Viewed', description: 'd' } })).body.forum.id;
  ctx = { admin, forumId };
});
afterAll(() => s?.close());

const newTopic = async (title: string) => (await s.api('POST', `/forums/${ctx.forumId}/topics`, { token: ctx.admin.token, body: { title, body: 'b' } })).body.topic.id as string;
const storedViews = async (topicId: string) => (await s.models.Topic.findById(topicId, { views: 1 }).lean())?.views ?? 0;
/** Once the counts are written: every view before this call is in. */
const settled = async (topicId: string, expected: number) => {
  await expect.poll(() => storedViews(topicId), { timeout: 3_000 }).toBe(expected);
  await new Promise((r) => setTimeout(r, 150)); // two more writes: nothing further arrives
  expect(await storedViews(topicId)).toBe(expected);
};

describe('topic views', () => {
  it('counts each person once an hour; bots, crawlers and refused pages not at all; shows the count in the listing and the page', async () => {
    const topicId = await newTopic('Much viewed');
    expect((await s.api('GET', `/topics/${topicId}`)).body.topic.views).toBe(0);
    await settled(topicId, 1); // that guest

    const alice = await s.user('views_alice');
    const bob = await s.user('views_bob');
    for (let i = 0; i < 3; i++) expect((await s.api('GET', `/topics/${topicId}?page=${i + 1}`, { token: alice.token })).status).toBe(200);
    expect((await s.api('GET', `/topics/${topicId}`, { token: bob.token })).status).toBe(200);
    await s.api('GET', `/topics/${topicId}`); // the same guest address again
    await settled(topicId, 3);

    // A topic no person has opened: a bot's token and a crawler (from the guests' address, new to this topic) read it.
    const other = await newTopic('Other');
    const bot = (await s.api('POST', '/bots', { token: ctx.admin.token, body: { username: 'views_bot' } })).body.bot;
    const botToken = (await s.api('POST', `/bots/${bot.id}/tokens`, { token: ctx.admin.token, body: { scopes: ['read'] } })).body.token;
    expect((await s.api('GET', `/topics/${other}`, { token: botToken })).status).toBe(200);
    const crawler = await s.api('GET', `/topics/${other}`, { headers: { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' } });
    expect(crawler.status).toBe(200);
    expect((await s.api('GET', `/topics/${topicId}?page=0`, { token: bob.token })).status).toBe(400);
    expect((await s.api('GET', `/topics/ffffffffffffffffffffffff`, { token: bob.token })).status).toBe(404);
    expect((await s.api('GET', `/forums/${ctx.forumId}/topics`, { token: alice.token })).status).toBe(200); // a listing is no view
    await settled(topicId, 3);
    await settled(other, 0);

    const listing = (await s.api('GET', `/forums/${ctx.forumId}/topics`)).body.topics as Array<{ id: string; views: number }>;
    expect(listing.find((t) => t.id === topicId)?.views).toBe(3);
    expect((await s.api('GET', `/topics/${topicId}`, { token: alice.token })).body.topic.views).toBe(3);
  });

  it('writes what it counted when the server shuts down', async () => {
    const slow = await startTestServer({ topicViewsFlushMs: 600_000 });
    try {
      const admin = await slow.user('slow_admin', 'admin');
      const forumId = (await slow.api('POST', '/forums', { token: admin.token, body: { title: 'F', description: 'd' } })).body.forum.id;
      const topicId = (await slow.api('POST', `/forums/${forumId}/topics`, { token: admin.token, body: { title: 'T', body: 'b' } })).body.topic.id;
      expect((await slow.api('GET', `/topics/${topicId}`, { token: admin.token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect((await slow.models.Topic.findById(topicId).lean())?.views).toBe(0); // not yet written
      await slow.restart();
      expect((await slow.models.Topic.findById(topicId).lean())?.views).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
