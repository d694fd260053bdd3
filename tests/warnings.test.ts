// phpBB's warnings: a moderator warns a member (for a post of theirs, or in general); the member
// is told by a private message from the moderator; moderators and the member see the list and
// how many are active (WARNING_DAYS); a moderator takes one back; all logged. Staff and bots are
// not warned; bad input and others change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, replyAs, seedForum, type TestServer } from './helpers/server.js';
import { createRest } from '../client/sdk/rest.js';

let s: TestServer;
let mod: { id: string; username: string; token: string };
let admin: { id: string; username: string; token: string };
beforeAll(async () => {
  s = await startTestServer({ warningDays: 30 });
  mod = await s.user('wn_mod', 'moderator');
  admin = await s.user('wn_admin', 'admin');
});
afterAll(() => s?.close());

const warnings = async (userId: string, token: string) => s.api('GET', `/users/${userId}/warnings`, { token });

describe('warnings', () => {
  it('warn a member for a post, tell them by private message, list and count them, and take one back', async () => {
    const { member, topic } = await seedForum(s);
    const postId = await replyAs(s, topic.id, member, 'rude [words]');
    const given = await s.api('POST', `/users/${member.id}/warnings`, { token: mod.token, body: { reason: 'Be civil', postId } });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({
      active: 1,
      told: true,
      warning: { userId: member.id, moderator: { id: mod.id, username: mod.username }, reason: 'Be civil', post: { id: postId, topicId: topic.id, subject: 'Re: Hello world' } },
    });
    const days = (Date.parse(given.body.warning.expiresAt) - Date.parse(given.body.warning.createdAt)) / 86_400_000;
    expect(days).toBe(30);

    // The member's inbox: a message from the moderator with the reason and a link to the post.
    const inbox = (await s.api('GET', '/conversations', { token: member.token })).body.conversations;
    expect(inbox[0]).toMatchObject({ title: 'You have received a warning', unread: true });
    const message = (await s.api('GET', `/conversations/${inbox[0].id}`, { token: member.token })).body.messages[0];
    expect(message.author.id).toBe(mod.id);
    expect(message.body).toContain('Reason: Be civil');
    expect(message.body).toContain(`/t/${topic.id}?post=${postId}`);

    // A general warning, and one given long ago (expired): listed newest first, two active.
    expect((await s.api('POST', `/users/${member.id}/warnings`, { token: admin.token, body: { reason: 'Spamming' } })).body.active).toBe(2);
    const old = await s.api('POST', `/users/${member.id}/warnings`, { token: mod.token, body: { reason: 'Old news' } });
    await s.models.Warning.updateOne({ _id: old.body.warning.id }, { $set: { createdAt: new Date(Date.now() - 40 * 86_400_000), expiresAt: new Date(Date.now() - 10 * 86_400_000) } });
    const seenByMod = (await warnings(member.id, mod.token)).body;
    expect(seenByMod.active).toBe(2);
    expect(seenByMod.warnings.map((w: { reason: string }) => w.reason)).toEqual(['Spamming', 'Be civil', 'Old news']);
    expect((await warnings(member.id, member.token)).body).toEqual(seenByMod); // the member sees their own

    const removed = await s.api('DELETE', `/warnings/${given.body.warning.id}`, { token: mod.token });
    expect(removed.body).toEqual({ id: given.body.warning.id, deleted: true, active: 1 });
    expect((await warnings(member.id, mod.token)).body.warnings.map((w: { reason: string }) => w.reason)).toEqual(['Spamming', 'Old news']);
    const log = (await s.api('GET', '/modlog', { token: mod.token })).body.entries.slice(0, 4).map((e: { action: string; reason?: string }) => [e.action, e.reason ?? null]);
    expect(log).toEqual([['user.unwarn', null], ['user.warn', 'Old news'], ['user.warn', 'Spamming'], ['user.warn', 'Be civil']]);

    // The SDK, with a moderator's token.
    const rest = createRest(s.url, mod.token);
    expect((await rest.warn(member.id, 'Via the SDK')).active).toBe(2);
    expect((await rest.warnings(member.id)).warnings[0].reason).toBe('Via the SDK');
    expect((await rest.removeWarning((await rest.warnings(member.id)).warnings[0].id)).active).toBe(1);
  });

  it('refuse staff, bots, others, bad input and unknown ids; nothing is stored', async () => {
    const { member, topic } = await seedForum(s);
    const other = await s.user('wn_other');
    const othersPost = await replyAs(s, topic.id, other, 'mine');
    const bot = (await s.api('POST', '/bots', { token: admin.token, body: { username: 'wn_bot' } })).body.bot;
    const ZERO = 'f'.repeat(24);
    const before = await s.models.Warning.countDocuments({});
    const cases: Array<[string, string, unknown, string | undefined, number, string]> = [
      ['POST', `/users/${member.id}/warnings`, { reason: 'x' }, member.token, 403, 'FORBIDDEN'],
      ['POST', `/users/${member.id}/warnings`, { reason: 'x' }, undefined, 401, 'UNAUTHORIZED'],
      ['POST', `/users/${mod.id}/warnings`, { reason: 'x' }, admin.token, 403, 'FORBIDDEN'],
      ['POST', `/users/${admin.id}/warnings`, { reason: 'x' }, mod.token, 403, 'FORBIDDEN'],
      ['POST', `/users/${bot.id}/warnings`, { reason: 'x' }, mod.token, 403, 'FORBIDDEN'],
      ['POST', `/users/${ZERO}/warnings`, { reason: 'x' }, mod.token, 404, 'NOT_FOUND'],
      ['POST', `/users/${member.id}/warnings`, { reason: 'x', postId: othersPost }, mod.token, 400, 'BAD_REQUEST'],
      ['POST', `/users/${member.id}/warnings`, { reason: 'x', postId: ZERO }, mod.token, 404, 'NOT_FOUND'],
      ['POST', `/users/${member.id}/warnings`, {}, mod.token, 400, 'BAD_REQUEST'],
      ['POST', `/users/${member.id}/warnings`, { reason: ' ' }, mod.token, 400, 'BAD_REQUEST'],
      ['POST', `/users/${member.id}/warnings`, { reason: 'x'.repeat(501) }, mod.token, 400, 'BAD_REQUEST'],
      ['POST', `/users/${member.id}/warnings`, { reason: 'x', extra: 1 }, mod.token, 400, 'BAD_REQUEST'],
      ['POST', `/users/${member.id}/warnings`, { reason: { $gt: '' } }, mod.token, 400, 'BAD_REQUEST'],
      ['POST', '/users/nope/warnings', { reason: 'x' }, mod.token, 400, 'BAD_REQUEST'],
      ['GET', `/users/${member.id}/warnings`, undefined, other.token, 403, 'FORBIDDEN'],
      ['GET', `/users/${member.id}/warnings`, undefined, undefined, 401, 'UNAUTHORIZED'],
      ['DELETE', `/warnings/${ZERO}`, undefined, mod.token, 404, 'NOT_FOUND'],
      ['DELETE', '/warnings/nope', undefined, mod.token, 400, 'BAD_REQUEST'],
    ];
    for (const [method, path, body, token, status, code] of cases) {
      const res = await s.api(method, path, { token, body });
      expect([method, path, body, res.status, res.body.error?.code]).toEqual([method, path, body, status, code]);
    }
    expect(await s.models.Warning.countDocuments({})).toBe(before);
    const given = await s.api('POST', `/users/${member.id}/warnings`, { token: mod.token, body: { reason: 'real' } });
    const refused = await s.api('DELETE', `/warnings/${given.body.warning.id}`, { token: member.token });
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(await s.models.Warning.countDocuments({})).toBe(before + 1);
  });
});
