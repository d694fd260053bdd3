import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, type TestServer, type SeededForum } from './helpers/server.js';
import { searchResult, type SearchResult } from '../shared/schemas.js';
import { LIMITS } from '../shared/limits.js';
import { createRest } from '../client/sdk/rest.js';

let s: TestServer;
let ctx: SeededForum;
let mod: { id: string; token: string };
let insider: { id: string; token: string };
let other: { id: string; title: string };
let secret: { id: string };

const reply = async (token: string, topicId: string, body: string, subject?: string) => {
  const r = await s.api('POST', `/topics/${topicId}/posts`, { token, body: { body, ...(subject ? { subject } : {}) } });
  expect(r.status).toBe(201);
  return r.body.post as { id: string };
};
const newTopic = async (token: string, forumId: string, title: string, body: string) => {
  const r = await s.api('POST', `/forums/${forumId}/topics`, { token, body: { title, body } });
  expect(r.status).toBe(201);
  return r.body as { topic: { id: string }; post: { id: string } };
};

/** GET /search with these params; a 200 answer is checked against the shared schema. */
async function search(params: Record<string, string | number>, token?: string): Promise<{ status: number; body: any; result: SearchResult }> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const r = await s.api('GET', `/search?${qs}`, { token });
  return { ...r, result: r.status === 200 ? searchResult.parse(r.body) : (undefined as never) };
}
const ids = (r: SearchResult) => r.hits.map((h) => h.post.id);

beforeAll(async () => {
  s = await startTestServer({ rateSearchPoints: 100_000 });
  ctx = await seedForum(s);
  mod = await s.user('search_mod', 'moderator');
  insider = await s.user('search_insider');
  const made = await s.api('POST', '/forums', { token: ctx.admin.token, body: { title: 'Other', description: '' } });
  other = made.body.forum;
  const priv = await s.api('POST', '/forums', { token: ctx.admin.token, body: { title: 'Back room', description: '' } });
  secret = priv.body.forum;
  expect((await s.api('PATCH', `/forums/${secret.id}`, { token: ctx.admin.token, body: { permissions: { read: ['group:insiders'] } } })).status).toBe(200);
  expect((await s.api('PATCH', `/users/${insider.id}/groups`, { token: ctx.admin.token, body: { groups: ['insiders'] } })).status).toBe(200);
});
afterAll(() => s?.close());

describe('GET /search', () => {
  it('matches every word, in any order and any case, in the subject or the body', async () => {
    const t = ctx.topic.id;
    const both = await reply(ctx.member.token, t, 'The Quick brown FOX jumps');
    const split = await reply(ctx.member.token, t, 'and then a fox appeared', 'Quick thinking');
    const oneWord = await reply(ctx.member.token, t, 'only the fox is here');
    const r = await search({ q: 'fox qUICK' });
    expect(r.status).toBe(200);
    expect(ids(r.result)).toEqual([split.id, both.id]); // newest first
    expect(ids(r.result)).not.toContain(oneWord.id);
    expect(r.result).toMatchObject({ total: 2, page: 1, pageCount: 1, capped: false });
    const hit = r.result.hits[1];
    expect(hit.topic).toEqual({ id: t, title: 'Hello world' });
    expect(hit.forum).toEqual({ id: ctx.forum.id, title: 'General' });
    expect(hit.post).toMatchObject({ id: both.id, topicId: t, forumId: ctx.forum.id, subject: 'Re: Hello world', snippet: 'The Quick brown FOX jumps' });
    expect(hit.post.author).toMatchObject({ id: ctx.member.id, username: ctx.member.username });
    expect(ids((await search({ q: '  FOX   Brown  ' })).result)).toEqual([both.id]);
  });

  it('takes regex metacharacters literally', async () => {
    const t = ctx.topic.id;
    const abc = await reply(ctx.member.token, t, 'metatest abc');
    const dot = await reply(ctx.member.token, t, 'metatest a.c');
    const plus = await reply(ctx.member.token, t, 'metatest I write c++ (mostly) [really] $5 ^_^ a|b');
    expect(ids((await search({ q: 'a.c' })).result)).toEqual([dot.id]);
    expect(ids((await search({ q: 'metatest abc' })).result)).toEqual([abc.id]);
    expect((await search({ q: '.*' })).result.total).toBe(0);
    expect(ids((await search({ q: 'c++ (mostly) [really]' })).result)).toEqual([plus.id]);
    expect(ids((await search({ q: '$5 ^_^ a|b' })).result)).toEqual([plus.id]);
    for (const q of ['(unclosed', '[a-', 'x{2,1}', 'a\\', '*?', '\\d+']) {
      const r = await search({ q });
      expect([q, r.status, r.result?.total]).toEqual([q, 200, 0]);
    }
  });

  it('answers a plain-text snippet around the first match', async () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(20);
    const long = await reply(ctx.member.token, ctx.topic.id, `${filler} **Tom & Jerry** <b>snipword</b> ${filler}`);
    const [hit] = (await search({ q: 'snipword' })).result.hits;
    expect(hit.post.id).toBe(long.id);
    expect(hit.post.snippet).toContain('Tom & Jerry <b>snipword</b>'); // the text as shown: markup gone, typed < > kept as text
    expect(hit.post.snippet).not.toContain('<strong>');
    expect(hit.post.snippet.startsWith('…')).toBe(true);
    expect(hit.post.snippet.endsWith('…')).toBe(true);
    expect(hit.post.snippet.length).toBeLessThanOrEqual(202);
    expect(hit).not.toHaveProperty('post.body');
  });

  it('never shows deleted posts; posts of deleted topics only to moderators, marked', async () => {
    const kept = await reply(ctx.member.token, ctx.topic.id, 'zebra stays');
    const gone = await reply(ctx.member.token, ctx.topic.id, 'zebra goes');
    expect((await s.api('DELETE', `/posts/${gone.id}`, { token: ctx.member.token })).status).toBe(200);
    expect(ids((await search({ q: 'zebra' })).result)).toEqual([kept.id]);
    expect(ids((await search({ q: 'zebra' }, mod.token)).result)).toEqual([kept.id]);

    const doomed = await newTopic(ctx.member.token, ctx.forum.id, 'Walrus talk', 'walrus first');
    const walrusReply = await reply(ctx.member.token, doomed.topic.id, 'walrus reply');
    expect((await s.api('DELETE', `/topics/${doomed.topic.id}`, { token: mod.token })).status).toBe(200);
    for (const token of [undefined, ctx.member.token, insider.token]) {
      expect((await search({ q: 'walrus' }, token)).result.total).toBe(0);
      expect((await search({ q: 'walrus', forumId: ctx.forum.id }, token)).result.total).toBe(0);
    }
    const seen = (await search({ q: 'walrus' }, mod.token)).result;
    expect(ids(seen)).toEqual([walrusReply.id, doomed.post.id]);
    expect(seen.hits[0].topic).toEqual({ id: doomed.topic.id, title: 'Walrus talk', deleted: true });

    expect((await s.api('POST', `/topics/${doomed.topic.id}/restore`, { token: mod.token })).status).toBe(200);
    expect(ids((await search({ q: 'walrus' })).result)).toEqual([walrusReply.id, doomed.post.id]);
  });

  it("hides a private forum's posts from those who may not read it, and shows them to those who may", async () => {
    const { post } = await newTopic(ctx.admin.token, secret.id, 'Plans', 'secret narwhal plans');
    const pub = await reply(ctx.member.token, ctx.topic.id, 'a public narwhal');
    expect(ids((await search({ q: 'narwhal' })).result)).toEqual([pub.id]);
    expect(ids((await search({ q: 'narwhal' }, ctx.member.token)).result)).toEqual([pub.id]);
    for (const token of [insider.token, mod.token, ctx.admin.token]) {
      const r = (await search({ q: 'narwhal' }, token)).result;
      expect(ids(r)).toEqual([pub.id, post.id]);
      expect(r.hits[1].forum).toEqual({ id: secret.id, title: 'Back room' });
    }
    // Asking for that forum by id is refused as its listing is.
    const guest = await search({ q: 'narwhal', forumId: secret.id });
    expect([guest.status, guest.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
    const member = await search({ q: 'narwhal', forumId: secret.id }, ctx.member.token);
    expect([member.status, member.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(ids((await search({ q: 'narwhal', forumId: secret.id }, insider.token)).result)).toEqual([post.id]);
    const unknown = await search({ q: 'narwhal', forumId: 'f'.repeat(24) });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('keeps an API token to its scope and its forums', async () => {
    const inOther = await newTopic(ctx.admin.token, other.id, 'Elsewhere', 'okapi elsewhere');
    const inGeneral = await reply(ctx.member.token, ctx.topic.id, 'okapi in general');
    const bot = await s.api('POST', '/bots', { token: ctx.admin.token, body: { username: 'SearchBot' } });
    const token = async (body: unknown) => (await s.api('POST', `/bots/${bot.body.bot.id}/tokens`, { token: ctx.admin.token, body })).body.token as string;
    expect(ids((await search({ q: 'okapi' }, await token({ scopes: ['read'] }))).result)).toEqual([inGeneral.id, inOther.post.id]);
    expect(ids((await search({ q: 'okapi' }, await token({ scopes: ['read'], forums: [other.id] }))).result)).toEqual([inOther.post.id]);
    const noRead = await search({ q: 'okapi' }, await token({ scopes: ['post'] }));
    expect([noRead.status, noRead.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('filters by forum and by author', async () => {
    const a = await reply(ctx.member.token, ctx.topic.id, 'filterword by member in general');
    const b = await reply(ctx.admin.token, ctx.topic.id, 'filterword by admin in general');
    const c = await newTopic(ctx.member.token, other.id, 'Filter topic', 'filterword by member in other');
    expect(ids((await search({ q: 'filterword' })).result)).toEqual([c.post.id, b.id, a.id]);
    expect(ids((await search({ q: 'filterword', forumId: other.id })).result)).toEqual([c.post.id]);
    expect(ids((await search({ q: 'filterword', forumId: ctx.forum.id.toUpperCase() })).result)).toEqual([b.id, a.id]);
    expect(ids((await search({ q: 'filterword', authorId: ctx.member.id })).result)).toEqual([c.post.id, a.id]);
    expect(ids((await search({ q: 'filterword', authorId: ctx.admin.id, forumId: ctx.forum.id })).result)).toEqual([b.id]);
    expect(ids((await search({ q: 'filterword', authorId: ctx.admin.id, forumId: other.id })).result)).toEqual([]);
    expect((await search({ q: 'filterword', authorId: 'a'.repeat(24) })).result.total).toBe(0);
    // No words with an author: all of their posts, newest first ("Search user's posts").
    const all = (await search({ authorId: ctx.admin.id }, ctx.admin.token)).result; // an admin reads every forum and deleted topic
    const adminsPosts = await s.models.Post.find({ authorId: ctx.admin.id, deleted: false }).sort({ createdAt: -1, _id: -1 }).lean();
    expect(adminsPosts.length).toBeGreaterThan(1);
    expect(ids(all)).toEqual(adminsPosts.map((p) => String(p._id)));
    // A blank q beside an author is no q (a search form sent empty).
    expect(ids((await search({ authorId: ctx.admin.id, q: '  ' }, ctx.admin.token)).result)).toEqual(ids(all));
  });

  it('searches one topic (phpBB’s "Search this topic"): its posts only, refused as its page would be', async () => {
    const one = await newTopic(ctx.member.token, other.id, 'Kettles', 'topicword in the opening post');
    const hit = await reply(ctx.admin.token, one.topic.id, 'topicword again, and a second word');
    await newTopic(ctx.member.token, other.id, 'Elsewhere', 'topicword in another topic');
    expect(ids((await search({ q: 'topicword', topicId: one.topic.id })).result)).toEqual([hit.id, one.post.id]);
    expect(ids((await search({ q: 'topicword second', topicId: one.topic.id })).result)).toEqual([hit.id]);
    expect(ids((await search({ q: 'topicword', topicId: one.topic.id, forumId: other.id, authorId: ctx.admin.id })).result)).toEqual([hit.id]);
    expect((await search({ q: 'topicword', topicId: one.topic.id, forumId: ctx.forum.id })).status).toBe(400);
    expect((await search({ q: 'topicword', topicId: 'nope' })).status).toBe(400);
    expect((await search({ q: 'topicword', topicId: '0123456789abcdef01234567' })).status).toBe(404);
    // A deleted topic: moderators only. A private forum's topic: as its listing.
    expect((await s.api('DELETE', `/topics/${one.topic.id}`, { token: mod.token })).status).toBe(200);
    expect((await search({ q: 'topicword', topicId: one.topic.id })).status).toBe(404);
    expect(ids((await search({ q: 'topicword', topicId: one.topic.id }, mod.token)).result)).toEqual([hit.id, one.post.id]);
    const hidden = await newTopic(ctx.admin.token, secret.id, 'Insiders', 'topicword for insiders');
    expect((await search({ q: 'topicword', topicId: hidden.topic.id })).status).toBe(401);
    expect((await search({ q: 'topicword', topicId: hidden.topic.id }, ctx.member.token)).status).toBe(403);
    expect(ids((await search({ q: 'topicword', topicId: hidden.topic.id }, insider.token)).result)).toEqual([hidden.post.id]);
  });

  it('pages newest first like the other listings; a page past the end is the last page', async () => {
    const { topic } = await newTopic(ctx.member.token, other.id, 'Paging', 'nothing to find here');
    const made: string[] = [];
    for (let i = 0; i < LIMITS.postsPerPage + 5; i++) made.push((await reply(ctx.member.token, topic.id, `pageword number ${i}`)).id);
    const newest = [...made].reverse();
    const p1 = (await search({ q: 'pageword' })).result;
    expect(p1).toMatchObject({ total: made.length, page: 1, pageCount: 2, capped: false });
    expect(ids(p1)).toEqual(newest.slice(0, LIMITS.postsPerPage));
    const p2 = (await search({ q: 'pageword', page: 2 })).result;
    expect(ids(p2)).toEqual(newest.slice(LIMITS.postsPerPage));
    expect((await search({ q: 'pageword', page: 99 })).result).toMatchObject({ page: 2, pageCount: 2 });
    expect(ids((await search({ q: 'pageword', page: 99 })).result)).toEqual(ids(p2));
    expect((await search({ q: 'nomatchwordatall' })).result).toEqual({ hits: [], total: 0, page: 1, pageCount: 1, capped: false });
  });

  it('refuses bad input with BAD_REQUEST', async () => {
    const bad: string[] = [
      '',
      'q=',
      'q=%20%20',
      'q=a',
      'q=%20a%20',
      `q=${'x'.repeat(LIMITS.searchQueryMax + 1)}`,
      'q=one%20two%20three%20four%20five%20six',
      'q=ok&q=twice',
      'q=a%00b',
      'q=ab%01',
      'q=ok&forumId=nothex',
      `q=ok&forumId=${'a'.repeat(23)}`,
      'q=ok&authorId=123',
      `authorId=${'a'.repeat(24)}&q=a`,
      'forumId=' + 'a'.repeat(24),
      'q=ok&page=0',
      'q=ok&page=-1',
      'q=ok&page=1.5',
      'q=ok&page=abc',
      `q=ok&page=${LIMITS.pageMax + 1}`,
    ];
    for (const qs of bad) {
      const r = await s.api('GET', `/search?${qs}`);
      expect([qs, r.status, r.body?.error?.code]).toEqual([qs, 400, 'BAD_REQUEST']);
    }
    // The edges that are fine: exactly the limits.
    expect((await search({ q: `  ${'y'.repeat(LIMITS.searchQueryMax)}  ` })).status).toBe(200);
    expect((await search({ q: 'ab' })).status).toBe(200);
    expect((await search({ q: 'one two three four five' })).status).toBe(200);
    expect((await search({ q: 'one\ttwo\nthree' })).status).toBe(200); // whitespace of any kind separates words
  });

  it('is in the SDK, typed', async () => {
    const rest = createRest(s.url, ctx.member.token);
    const r = await rest.search({ q: 'quick fox', forumId: ctx.forum.id });
    expect(r.total).toBe(2);
    expect(r.hits[0].topic.title).toBe('Hello world');
    await expect(rest.search({ q: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('search budget', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ rateSearchPoints: 2 });
  });
  afterAll(() => limited?.close());

  it('spends one search per valid query (bad input costs none), per user and per guest IP', async () => {
    const member = await limited.user('budget_member');
    for (let i = 0; i < 5; i++) expect((await limited.api('GET', '/search?q=x')).status).toBe(400);
    expect((await limited.api('GET', '/search?q=hello')).status).toBe(200);
    expect((await limited.api('GET', '/search?q=hello')).status).toBe(200);
    const over = await limited.api('GET', '/search?q=hello');
    expect([over.status, over.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(over.body.error.retryAfterMs).toBeGreaterThan(0);
    // Other routes are not on this budget, and a signed-in member has one of their own.
    expect((await limited.api('GET', '/forums')).status).toBe(200);
    expect((await limited.api('GET', '/search?q=hello', { token: member.token })).status).toBe(200);
  });
});
