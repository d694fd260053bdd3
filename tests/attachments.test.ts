import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentMarkup, createRest } from '../client/sdk/index.js';
import { startTestServer, seedForum, type TestServer } from './helpers/server.js';
import { pdf, png, pngOfSize } from './helpers/files.js';

const MAX = 4096;
const QUOTA = 10_000;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ attachmentMaxBytes: MAX, attachmentQuotaBytes: QUOTA, rateUploadPoints: 12 });
});
afterAll(() => s?.close());

const newMember = () => s.user(`up_${randomBytes(3).toString('hex')}`);

/** POST /attachments as a browser form would send it. */
async function upload(token: string | undefined, bytes: Buffer, name: string, type = 'application/octet-stream', field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${s.url}/api/v1/attachments`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  return { status: res.status, body: await res.json() };
}
const fetchFile = (url: string) => fetch(`${s.url}${url}`);
const usedBytes = async (userId: string) => (await s.models.User.findById(userId, { attachmentBytes: 1 }).lean())?.attachmentBytes ?? 0;
const stored = () => s.models.Attachment.countDocuments({});

describe('uploading and serving attachments', () => {
  it('stores a member\'s image and serves the same bytes to anyone, inline, typed by its bytes', async () => {
    const member = await newMember();
    const image = png(3, 2);
    const up = await upload(member.token, image, 'holiday photo.png', 'image/png');
    expect(up.status).toBe(201);
    const { attachment } = up.body;
    expect(attachment).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), url: `/attachments/${attachment.id}`, name: 'holiday photo.png', type: 'image/png', size: image.length, createdAt: expect.any(String) });

    const res = await fetchFile(attachment.url); // a guest: no token
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(image)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="holiday photo.png"');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(await usedBytes(member.id)).toBe(image.length);
  });

  it('goes by the bytes, not the name or the declared type: an image named .html is a .png, a page named .png is refused', async () => {
    const member = await newMember();
    const disguised = await upload(member.token, png(), '../../evil.html', 'text/html');
    expect(disguised.status).toBe(201);
    expect(disguised.body.attachment).toMatchObject({ name: 'evil.png', type: 'image/png' });

    const before = await stored();
    const page = await upload(member.token, Buffer.from('<html><script>alert(1)</script></html>'), 'cat.png', 'image/png');
    expect(page.status).toBe(400);
    expect(page.body.error.code).toBe('BAD_REQUEST');
    expect(page.body.error.message).toMatch(/PNG, JPEG, GIF and WebP images and PDF/);
    const svg = await upload(member.token, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml');
    expect(svg.status).toBe(400);
    expect(await stored()).toBe(before);
    expect(await usedBytes(member.id)).toBe(png().length);
  });

  it('serves a PDF as a download', async () => {
    const member = await newMember();
    const up = await upload(member.token, pdf(), 'Rules – 2026.pdf', 'application/pdf');
    expect(up.status).toBe(201);
    expect(up.body.attachment.type).toBe('application/pdf');
    const res = await fetchFile(up.body.attachment.url);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Rules \? 2026\.pdf"; filename\*=UTF-8''Rules%20%E2%80%93%202026\.pdf$/);
  });

  it('refuses what is not one file of an allowed size, and stores nothing', async () => {
    const member = await newMember();
    const before = await stored();
    const tooBig = await upload(member.token, pngOfSize(MAX + 1), 'big.png');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await upload(member.token, pngOfSize(MAX), 'just.png')).status).toBe(201);

    const empty = await upload(member.token, Buffer.alloc(0), 'empty.png');
    expect([empty.status, empty.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    const wrongField = await upload(member.token, png(), 'a.png', 'image/png', 'image');
    expect([wrongField.status, wrongField.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    const json = await s.api('POST', '/attachments', { token: member.token, body: { file: 'aGVsbG8=' } });
    expect([json.status, json.body.error.code]).toEqual([400, 'BAD_REQUEST']);
    const two = new FormData();
    two.append('file', new Blob([new Uint8Array(png())]), 'a.png');
    two.append('file', new Blob([new Uint8Array(png())]), 'b.png');
    const twoFiles = await fetch(`${s.url}/api/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${member.token}` }, body: two });
    expect(twoFiles.status).toBe(400);
    const broken = await fetch(`${s.url}/api/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${member.token}`, 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG' });
    expect(broken.status).toBe(400);

    expect(await stored()).toBe(before + 1);
    expect(await usedBytes(member.id)).toBe(MAX);
  });

  it('is for members and tokens allowed to post', async () => {
    const guest = await upload(undefined, png(), 'a.png');
    expect([guest.status, guest.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
    const { admin } = await seedForum(s);
    const bot = (await s.api('POST', '/bots', { token: admin.token, body: { username: `reader_${randomBytes(3).toString('hex')}` } })).body;
    const readOnly = (await s.api('POST', `/bots/${bot.bot.id}/tokens`, { token: admin.token, body: { scopes: ['read'] } })).body.token;
    const refused = await upload(readOnly, png(), 'a.png');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const poster = (await s.api('POST', `/bots/${bot.bot.id}/tokens`, { token: admin.token, body: { scopes: ['read', 'post'] } })).body.token;
    // Through the SDK, as a bot would.
    const { attachment } = await createRest(s.url, poster).upload(new Blob([new Uint8Array(png())]), 'chart.png');
    expect(attachment.type).toBe('image/png');
  });

  it('keeps each member within their quota, concurrent uploads included, and frees it on delete', async () => {
    const member = await newMember();
    const file = pngOfSize(3000); // QUOTA 10,000: three fit, a fourth does not
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(member.token, file, `q${i}.png`)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(3);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect([a.status, a.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect(a.body.error.message).toMatch(/take 8\.8 KiB of your 9\.8 KiB/);
    }
    expect(await usedBytes(member.id)).toBe(9000);
    const first = answers.find((a) => a.status === 201)!.body.attachment;
    expect((await s.api('DELETE', `/attachments/${first.id}`, { token: member.token })).body).toEqual({ id: first.id });
    expect(await usedBytes(member.id)).toBe(6000);
    expect((await upload(member.token, file, 'again.png')).status).toBe(201);
  });

  it('lists a member\'s own uploads, newest first, with the quota', async () => {
    const member = await newMember();
    const rest = createRest(s.url, member.token);
    const a = (await rest.upload(new Blob([new Uint8Array(png())]), 'one.png')).attachment;
    const b = (await rest.upload(new Blob([new Uint8Array(pdf())]), 'two.pdf')).attachment;
    const mine = await rest.myAttachments();
    expect(mine).toEqual({ attachments: [b, a], page: 1, pageCount: 1, total: 2, usedBytes: a.size + b.size, quotaBytes: QUOTA, maxBytes: MAX });
    const other = await newMember();
    expect((await createRest(s.url, other.token).myAttachments()).attachments).toEqual([]);
    expect((await s.api('GET', '/users/me/attachments')).status).toBe(401);
    expect((await s.api('GET', '/users/me/attachments?page=0', { token: member.token })).status).toBe(400);
  });
});

describe('deleting attachments', () => {
  it('the uploader or a moderator (logged) deletes; others may not; the file is gone', async () => {
    const { admin } = await seedForum(s);
    const owner = await newMember();
    const other = await newMember();
    const one = (await upload(owner.token, png(), 'one.png')).body.attachment;
    const two = (await upload(owner.token, png(), 'two.png')).body.attachment;

    const refused = await s.api('DELETE', `/attachments/${one.id}`, { token: other.token });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await s.api('DELETE', `/attachments/${one.id}`)).status).toBe(401);
    expect((await fetchFile(one.url)).status).toBe(200);

    expect((await s.api('DELETE', `/attachments/${one.id}`, { token: owner.token })).status).toBe(200);
    expect((await s.api('DELETE', `/attachments/${one.id}`, { token: owner.token })).status).toBe(404);
    const gone = await fetchFile(one.url);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe('NOT_FOUND');

    expect((await s.api('DELETE', `/attachments/${two.id}`, { token: admin.token })).status).toBe(200);
    expect(await usedBytes(owner.id)).toBe(0);
    const log = (await s.api('GET', '/modlog', { token: admin.token })).body.entries;
    expect(log[0]).toMatchObject({ action: 'attachment.delete', actor: { id: admin.id }, target: { type: 'user', id: owner.id }, details: { attachmentId: two.id, name: 'two.png' } });
    expect(log.some((e: { details?: { attachmentId?: string } }) => e.details?.attachmentId === one.id)).toBe(false); // the owner's own delete is not moderation
  });

  it('answers malformed and unknown ids as such', async () => {
    const member = await newMember();
    expect((await fetchFile('/attachments/nope')).status).toBe(400);
    expect((await fetchFile(`/attachments/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await s.api('DELETE', '/attachments/0123', { token: member.token })).status).toBe(400);
    expect((await s.api('DELETE', `/attachments/${'a'.repeat(32)}`, { token: member.token })).status).toBe(404);
  });
});

describe('attachments in posts', () => {
  it('a post shows an uploaded image and links a PDF by their markup', async () => {
    const { member, topic } = await seedForum(s);
    const rest = createRest(s.url, member.token);
    const image = (await rest.upload(new Blob([new Uint8Array(png())]), 'shot.png')).attachment;
    const doc = (await rest.upload(new Blob([new Uint8Array(pdf())]), 'notes.pdf')).attachment;
    const body = `Look: ${attachmentMarkup(image)} and ${attachmentMarkup(doc)}`;
    expect(body).toBe(`Look: [img]/attachments/${image.id}[/img] and [url=/attachments/${doc.id}]notes.pdf[/url]`);
    const reply = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body } });
    expect(reply.status).toBe(201);
    expect(reply.body.post.bodyHtml).toContain(`<img src="/attachments/${image.id}" alt="" />`);
    expect(reply.body.post.bodyHtml).toContain(`<a href="/attachments/${doc.id}" rel="nofollow ugc noopener" target="_blank">notes.pdf</a>`);
    // Other same-origin paths are still no image source.
    const sneaky = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: '[img]/api/v1/users/me[/img] ![x](/attachments/../users/me)' } });
    expect(sneaky.body.post.bodyHtml).not.toContain('<img');
  });
});

describe('avatars from uploads', () => {
  it('a member shows one of their own uploaded images as avatar; deleting it clears the avatar', async () => {
    const member = await newMember();
    const other = await newMember();
    const rest = createRest(s.url, member.token);
    const image = (await rest.upload(new Blob([new Uint8Array(png())]), 'me.png')).attachment;
    const doc = (await rest.upload(new Blob([new Uint8Array(pdf())]), 'cv.pdf')).attachment;
    const theirs = (await createRest(s.url, other.token).upload(new Blob([new Uint8Array(png())]), 'them.png')).attachment;
    const setAvatar = (avatarUrl: string) => s.api('PATCH', '/users/me', { token: member.token, body: { avatarUrl } });

    const set = await setAvatar(image.url.toUpperCase().replace('/ATTACHMENTS/', '/attachments/'));
    expect(set.status).toBe(200);
    expect(set.body.user.avatarUrl).toBe(image.url);
    expect((await s.api('GET', `/users/${member.id}`)).body.user.avatarUrl).toBe(image.url);
    for (const refused of [doc.url, theirs.url, `/attachments/${'b'.repeat(32)}`, '/attachments/nope', '/api/v1/users/me']) {
      const r = await setAvatar(refused);
      expect([refused, r.status, r.body.error.code]).toEqual([refused, 400, 'BAD_REQUEST']);
    }
    expect((await s.api('GET', `/users/${member.id}`)).body.user.avatarUrl).toBe(image.url);
    expect((await setAvatar('https://example.com/a.png')).body.user.avatarUrl).toBe('https://example.com/a.png');

    await setAvatar(image.url);
    await rest.deleteAttachment(image.id);
    expect((await s.api('GET', `/users/${member.id}`)).body.user.avatarUrl).toBeUndefined();
  });
});

describe('orphaned uploads', () => {
  it('deletes uploads nothing shows once ATTACHMENT_ORPHAN_DAYS old, freeing their bytes; keeps and marks the rest', async () => {
    const { forum } = await seedForum(s);
    const member = await newMember();
    const friend = await newMember();
    const rest = createRest(s.url, member.token);
    const names = ['post', 'deletedPost', 'revision', 'message', 'avatar', 'signature', 'orphan', 'young', 'legacy'] as const;
    const file: Record<(typeof names)[number], { id: string; url: string; size: number }> = {} as never;
    for (const name of names) file[name] = (await rest.upload(new Blob([new Uint8Array(png())]), `${name}.png`)).attachment;
    const img = (name: (typeof names)[number]) => `[img]${file[name].url}[/img]`;

    const topic = (await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Pictures', body: `Here: ${img('post')}` } })).body.topic;
    const gone = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: img('deletedPost') } })).body.post;
    expect((await s.api('DELETE', `/posts/${gone.id}`, { token: member.token })).status).toBe(200);
    const edited = (await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: img('revision') } })).body.post;
    expect((await s.api('PATCH', `/posts/${edited.id}`, { token: member.token, body: { body: 'No picture after all' } })).status).toBe(200);
    expect((await s.api('POST', '/conversations', { token: member.token, body: { to: [friend.username], title: 'Look', body: img('message') } })).status).toBe(201);
    expect((await s.api('PATCH', '/users/me', { token: member.token, body: { avatarUrl: file.avatar.url, signature: img('signature') } })).status).toBe(200);

    // All but `young` uploaded ten days ago; `legacy` as stored before the sweep existed (no flag).
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    for (const name of names) if (name !== 'young') await s.models.Attachment.updateOne({ _id: file[name].id }, { $set: { createdAt: tenDaysAgo } });
    await s.models.Attachment.updateOne({ _id: file.legacy.id }, { $unset: { used: 1 } });
    const before = await usedBytes(member.id);

    expect(await s.app.services.attachments.sweepOrphans()).toBe(1);
    expect((await fetchFile(file.orphan.url)).status).toBe(404);
    expect(await usedBytes(member.id)).toBe(before - file.orphan.size);
    const flags = Object.fromEntries(
      await Promise.all(names.filter((n) => n !== 'orphan').map(async (n) => [n, (await s.models.Attachment.findById(file[n].id, { used: 1 }).lean())?.used ?? 'none'])),
    );
    expect(flags).toEqual({ post: true, deletedPost: true, revision: true, message: true, avatar: true, signature: true, young: false, legacy: 'none' });
    for (const n of names.filter((n) => n !== 'orphan')) expect((await fetchFile(file[n].url)).status).toBe(200);
    // Nothing left to do.
    expect(await s.app.services.attachments.sweepOrphans()).toBe(0);
  });
});

describe('recount', () => {
  it('rebuilds each member\'s attachment bytes from their uploads', async () => {
    const member = await newMember();
    const file = (await upload(member.token, png(), 'a.png')).body.attachment;
    await s.models.User.updateOne({ _id: member.id }, { $set: { attachmentBytes: 12345 } });
    const report = await s.app.services.recount.run();
    expect(report.corrections).toContainEqual({ kind: 'user', id: member.id, field: 'attachmentBytes', was: 12345, now: file.size });
    expect(await usedBytes(member.id)).toBe(file.size);
    expect(report.scanned.attachments).toBe(await stored());
  });
});
