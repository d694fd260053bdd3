// POST /preview (phpBB's Preview): a body rendered exactly as a post would show it, stored nowhere;
// for members and tokens that may post; bad input refused. Over REST and through the SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, type TestServer, type SeededForum } from './helpers/server.js';
import { createRest } from '../client/sdk/rest.js';
import { LIMITS } from '../shared/limits.js';

let s: TestServer;
let ctx: SeededForum;
beforeAll(async () => {
  s = await startTestServer();
  ctx = await seedForum(s);
});
afterAll(() => s?.close());

const BODY = '**Bold**, [i]italic[/i], @someone and <script>alert(1)</script>\n\n[quote="Ann"]Quoted[/quote]\n\n```\ncode <b>\n```';

/** Every collection's document count: a preview must change none. */
async function counts(): Promise<Record<string, number>> {
  const db = s.conn.db!;
  const out: Record<string, number> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) out[name] = await db.collection(name).countDocuments({});
  return out;
}
/** The counts once a post's writes off its path (read marks, notifications) are done: two reads 100 ms apart agree. */
async function settledCounts(): Promise<Record<string, number>> {
  for (let last = await counts(); ; ) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await counts();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

describe('POST /preview', () => {
  it('renders a body exactly as the post made of it shows it, and stores nothing', async () => {
    const before = await settledCounts();
    const preview = await s.api('POST', '/preview', { token: ctx.member.token, body: { body: BODY } });
    expect(preview.status).toBe(200);
    expect(Object.keys(preview.body)).toEqual(['bodyHtml']);
    expect(preview.body.bodyHtml).toContain('<strong>Bold</strong>');
    expect(preview.body.bodyHtml).not.toContain('<script>');
    expect(await counts()).toEqual(before);

    const posted = await s.api('POST', `/topics/${ctx.topic.id}/posts`, { token: ctx.member.token, body: { body: BODY } });
    expect(posted.status).toBe(201);
    expect(preview.body.bodyHtml).toBe(posted.body.post.bodyHtml);
  });

  it('is for members and tokens with `post`: guests and other tokens are refused', async () => {
    expect(await s.api('POST', '/preview', { body: { body: 'hi' } })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    const bot = (await s.api('POST', '/bots', { token: ctx.admin.token, body: { username: 'preview_bot' } })).body.bot;
    const grant = async (scopes: string[]) => (await s.api('POST', `/bots/${bot.id}/tokens`, { token: ctx.admin.token, body: { scopes } })).body.token as string;
    expect(await s.api('POST', '/preview', { token: await grant(['read']), body: { body: 'hi' } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const poster = createRest(s.url, await grant(['read', 'post']));
    expect(await poster.preview('_hi_')).toEqual({ bodyHtml: '<p><em>hi</em></p>\n' });
  });

  it('refuses bad input with BAD_REQUEST', async () => {
    const before = await settledCounts();
    for (const body of [undefined, {}, { body: '' }, { body: '   ' }, { body: 42 }, { body: 'x'.repeat(LIMITS.bodyMax + 1) }, { body: 'ok', subject: 'extra' }, { body: { $gt: '' } }, []]) {
      const res = await s.api('POST', '/preview', { token: ctx.member.token, body });
      expect(res.status, JSON.stringify(body)?.slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
    }
    expect(await counts()).toEqual(before);
  });
});
