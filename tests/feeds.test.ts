// Atom feeds of the newest posts (board, forum, topic), as a guest reads them, parsed as XML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import fc from 'fast-check';
import { ERROR_CODES, HTTP_STATUS } from '../shared/errors.js';
import { startTestServer, seedForum, replyAs, type TestServer } from './helpers/server.js';
import { png } from './helpers/files.js';
import { absoluteLinks } from '../server/render/atom.js';

interface Entry {
  id: string;
  /** An entry's title is HTML (`type="html"`); `feedAt` reads it back as text. */
  title: string;
  /** The post's HTML. */
  link: { '@_href': string };
  author: { name: string };
  content: string;
  published: string;
  updated: string;
}

/** What a feed reader shows of an HTML title holding only text and character references. */
const htmlText = (html: string) => {
  expect(html).not.toMatch(/</);
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
};

const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' });

/** A feed that must be served: parsed, each entry's title read as text. */
async function feedAt(s: TestServer, path: string) {
  const res = await fetch(`${s.url}${path}`);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
  type Html = { '#text': string; '@_type': string };
  const feed = parser.parse(text).feed as { id: string; title: string; entry?: Array<Omit<Entry, 'title' | 'content'> & { title: Html; content: Html }> };
  const entries = (feed.entry ?? []).map((e): Entry => {
    expect([e.title['@_type'], e.content['@_type']]).toEqual(['html', 'html']);
    return { ...e, title: htmlText(e.title['#text']), content: e.content['#text'] };
  });
  return { status: res.status, text, feed, entries };
}

/** A feed that must be refused: its status and the error's code. */
async function refusalAt(s: TestServer, path: string) {
  const res = await fetch(`${s.url}${path}`);
  return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
}

describe('Atom feeds', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it('a topic’s feed: its newest posts first, each linked to its place, with its author and rendered body', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const replier = await s.user('feed_replier');
    const reply = await replyAs(s, topic.id, replier, 'A **bold** reply & more');
    const { feed, entries } = await feedAt(s, `/t/${topic.id}/feed.atom`);
    expect(feed.title).toBe('Hello world · Realtime Forum');
    expect(feed.id).toBe(`${s.url}/t/${topic.id}`);
    expect(entries.map((e) => e.title)).toEqual(['Re: Hello world', 'Hello world']);
    expect(entries[0]).toMatchObject({
      id: `${s.url}/t/${topic.id}?post=${reply}`,
      link: { '@_href': `${s.url}/t/${topic.id}?post=${reply}#p${reply}` },
      author: { name: 'feed_replier' },
    });
    expect(entries[0].content).toContain('<strong>bold</strong> reply &amp; more');
    expect(entries[1]).toMatchObject({ author: { name: member.username } });
    expect(entries[1].id).toContain(firstPost.id);
  });

  it('leaves out deleted posts and deleted topics; refuses members-only forums, unknown ids and malformed ones, as for a guest', async () => {
    const { admin, member, forum, topic } = await seedForum(s);
    const gone = await replyAs(s, topic.id, member, 'Soon deleted');
    const kept = await replyAs(s, topic.id, member, 'Kept');
    expect((await s.api('DELETE', `/posts/${gone}`, { token: admin.token })).status).toBe(200);
    const topicFeed = await feedAt(s, `/t/${topic.id}/feed.atom`);
    expect(topicFeed.entries.map((e) => e.id.split('post=')[1])).not.toContain(gone);
    expect(topicFeed.entries[0].id).toContain(kept);

    const doomed = (await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Doomed topic', body: 'soon gone' } })).body.topic;
    expect((await feedAt(s, `/f/${forum.id}/feed.atom`)).entries[0].title).toBe('Doomed topic');
    expect((await s.api('DELETE', `/topics/${doomed.id}`, { token: admin.token })).status).toBe(200);
    expect((await feedAt(s, `/f/${forum.id}/feed.atom`)).entries.map((e) => e.title)).not.toContain('Doomed topic');
    expect(await refusalAt(s, `/t/${doomed.id}/feed.atom`)).toEqual({ status: 404, code: 'NOT_FOUND' });

    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['member'] } } })).status).toBe(200);
    expect(await refusalAt(s, `/f/${forum.id}/feed.atom`)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await refusalAt(s, `/t/${topic.id}/feed.atom`)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect((await feedAt(s, '/feed.atom')).entries.map((e) => e.id)).not.toContain(topicFeed.entries[0].id);

    expect(await refusalAt(s, '/f/0123456789abcdef01234567/feed.atom')).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await refusalAt(s, '/t/0123456789abcdef01234567/feed.atom')).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await refusalAt(s, '/t/not-an-id/feed.atom')).toEqual({ status: 400, code: 'BAD_REQUEST' });
  });

  it('any id in a feed’s path gets a feed or a protocol error, never INTERNAL', async () => {
    const { forum, topic } = await seedForum(s);
    const id = fc.oneof(fc.constantFrom(forum.id, topic.id, '$gt', '__proto__', '%00', 'a'.repeat(500)), fc.string({ minLength: 1, maxLength: 30 }), fc.stringMatching(/^[a-f0-9]{24}$/));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('f', 't'), id, async (kind, raw) => {
        const res = await fetch(`${s.url}/${kind}/${encodeURIComponent(raw)}/feed.atom`);
        const text = await res.text();
        if (res.status === 200) return void expect(text).toMatch(/^<\?xml/);
        if (res.status === 404 && !text.startsWith('{')) return; // ".." or ".", which the URL resolves away: no feed's path, Express's own 404
        const code = JSON.parse(text).error.code as keyof typeof HTTP_STATUS;
        expect(ERROR_CODES).toContain(code);
        expect(code).not.toBe('INTERNAL');
        expect(res.status).toBe(HTTP_STATUS[code]);
      }),
      { numRuns: 150 },
    );
  });

  it('escapes what members write: titles and names stay text, bodies stay the sanitized HTML', async () => {
    const admin = await s.user('feed_admin', 'admin');
    const forum = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Tricky <b>&</b> forum', description: 'x' } })).body.forum;
    const author = await s.user('feed_author');
    const made = await s.api('POST', `/forums/${forum.id}/topics`, { token: author.token, body: { title: '</title><script>alert(1)</script> & ]]>', body: '<img src=x onerror=alert(1)> ]]> done' } });
    expect(made.status).toBe(201);
    const { feed, entries, text } = await feedAt(s, `/f/${forum.id}/feed.atom`);
    expect(feed.title).toBe('Tricky <b>&</b> forum · Realtime Forum');
    expect(entries[0].title).toBe('</title><script>alert(1)</script> & ]]>');
    expect(text).not.toContain('<script>');
    expect(entries[0].content).toContain('&lt;img src=x onerror=alert(1)&gt;'); // written as text, as on the page
    expect(entries[0].content).not.toMatch(/<img/);
    expect(entries[0].content).toContain(']]&gt; done');
  });
});

describe('the board’s feed', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ publicUrl: 'https://forum.example.org/board' });
  });
  afterAll(() => s?.close());

  it('holds the 20 newest posts of every forum a guest may read, across topics, under PUBLIC_URL', async () => {
    const { admin, member, forum, topic } = await seedForum(s);
    const hidden = (await s.api('POST', '/forums', { token: admin.token, body: { title: 'Staff room', description: 'x' } })).body.forum;
    expect((await s.api('PATCH', `/forums/${hidden.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } })).status).toBe(200);
    expect((await s.api('POST', `/forums/${hidden.id}/topics`, { token: admin.token, body: { title: 'Staff only', body: 'secret' } })).status).toBe(201);
    // 22 more topics, one post each, after the seeded one: 23 topics in all.
    for (let i = 0; i < 22; i++) {
      expect((await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: `Topic ${i}`, body: `Body ${i}` } })).status).toBe(201);
    }
    let { entries } = await feedAt(s, '/feed.atom');
    expect(entries.map((e) => e.title)).toEqual(Array.from({ length: 20 }, (_, i) => `Topic ${21 - i}`));
    // A reply to the oldest topic is the newest post now.
    const reply = await replyAs(s, topic.id, member, 'Back to the first topic');
    ({ entries } = await feedAt(s, '/feed.atom'));
    expect(entries).toHaveLength(20);
    expect(entries[0]).toMatchObject({ title: 'Re: Hello world', link: { '@_href': `https://forum.example.org/board/t/${topic.id}?post=${reply}#p${reply}` } });
    expect(entries.map((e) => e.title)).not.toContain('Staff only');
    expect(entries[19].title).toBe('Topic 3');
  });

  it('makes root-relative links and images absolute (attachments are shown away from the site)', async () => {
    const { member, forum } = await seedForum(s);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png())], { type: 'image/png' }), 'pic.png');
    const upload = await fetch(`${s.url}/api/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${member.token}` }, body: form });
    expect(upload.status).toBe(201);
    const { attachment } = await upload.json();
    const made = await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'With a picture', body: `[img]/attachments/${attachment.id}[/img]` } });
    expect(made.status).toBe(201);
    const { entries } = await feedAt(s, `/f/${forum.id}/feed.atom`);
    expect(entries[0].content).toContain(`src="https://forum.example.org/board/attachments/${attachment.id}"`);
    expect(absoluteLinks('<a href="/u/1">x</a> <a href="//other.example/">y</a> <img src="https://a.example/i.png">', 'https://b.example')).toBe(
      '<a href="https://b.example/u/1">x</a> <a href="//other.example/">y</a> <img src="https://a.example/i.png">',
    );
  });
});
