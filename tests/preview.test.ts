// POST /preview (phpBB's Preview): a body rendered exactly as a post would show it, stored nowhere;
// for members and tokens that may post; bad input refused. Over REST and through the SDK.
import { describe, expect, it } from 'vitest';
import { seededServer } from './helpers/server.js';
import { createRest } from '../client/sdk/rest.js';
import { LIMITS } from '../shared/limits.js';

const env = seededServer();

const BODY = '**Bold**, [i]italic[/i], @someone and <script>alert(1)</script>\n\n[quote="Ann"]Quoted[/quote]\n\n```\ncode <b>\n```';

/** Every collection's document count: a preview must change none. */
async function counts(): Promise<Record<string, number>> {
  const db = env.s.conn.db!;
  const out: Record<string, number> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) out[name] = await db.collection(name).countDocuments({});
  return out;
}
/**
 * The counts once a post's writes off its path are done: the member's held read marks written
 * (they wait for a timer otherwise), then two reads 100 ms apart agree (notifications).
 */
async function settledCounts(): Promise<Record<string, number>> {
  await env.s.app.services.unread.flush();
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
    const preview = await env.s.api('POST', '/preview', { token: env.ctx.member.token, body: { body: BODY } });
    expect(preview.status).toBe(200);
    expect(Object.keys(preview.body)).toEqual(['bodyHtml']);
    expect(preview.body.bodyHtml).toContain('<strong>Bold</strong>');
    expect(preview.body.bodyHtml).not.toContain('<script>');
    expect(await counts()).toEqual(before);

    const posted = await env.s.api('POST', `/topics/${env.ctx.topic.id}/posts`, { token: env.ctx.member.token, body: { body: BODY } });
    expect(posted.status).toBe(201);
    expect(preview.body.bodyHtml).toBe(posted.body.post.bodyHtml);
  });

  it('is for members and tokens with `post`: guests and other tokens are refused', async () => {
    expect(await env.s.api('POST', '/preview', { body: { body: 'hi' } })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    const bot = (await env.s.api('POST', '/bots', { token: env.ctx.admin.token, body: { username: 'preview_bot' } })).body.bot;
    const grant = async (scopes: string[]) => (await env.s.api('POST', `/bots/${bot.id}/tokens`, { token: env.ctx.admin.token, body: { scopes } })).body.token as string;
    expect(await env.s.api('POST', '/preview', { token: await grant(['read']), body: { body: 'hi' } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const poster = createRest(env.s.url, await grant(['read', 'post']));
    expect(await poster.preview('_hi_')).toEqual({ bodyHtml: '<p><em>hi</em></p>\n' });
  });

  it('refuses bad input with BAD_REQUEST', async () => {
    const before = await settledCounts();
    for (const body of [undefined, {}, { body: '' }, { body: '   ' }, { body: 42 }, { body: 'x'.repeat(LIMITS.bodyMax + 1) }, { body: 'ok', subject: 'extra' }, { body: { $gt: '' } }, []]) {
      const res = await env.s.api('POST', '/preview', { token: env.ctx.member.token, body });
      expect(res.status, JSON.stringify(body)?.slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
    }
    expect(await counts()).toEqual(before);
  });
});
