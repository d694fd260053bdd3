import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, collect, receivedWithin, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const report = (token: string | undefined, postId: string, body: unknown) => s.api('POST', `/posts/${postId}/report`, { token, body });

describe('reports', () => {
  it('a member reports a post; moderators see it live in the queue, close it with a note, and the log has it', async () => {
    const { member, topic, firstPost } = await seedForum(s);
    const reporter = await s.user('rep_reporter');
    const mod = await s.user('rep_mod', 'moderator');
    const modSocket = await s.socket(mod.token);
    const memberSocket = await s.socket(reporter.token);
    const toMods = collect(modSocket, 'report:new', 1);
    const notToMembers = receivedWithin(memberSocket, 'report:new', 600);

    const made = await report(reporter.token, firstPost.id, { reason: 'Spam link in the first line' });
    expect(made.status).toBe(201);
    const expected = {
      id: expect.any(String),
      status: 'open',
      reason: 'Spam link in the first line',
      reporter: { id: reporter.id, username: 'rep_reporter' },
      post: { id: firstPost.id, topicId: topic.id, forumId: topic.forumId, number: 1, author: { id: member.id, username: member.username }, snippet: 'First post' },
      topicTitle: 'Hello world',
    };
    expect(made.body.report).toMatchObject(expected);
    const [event] = await toMods;
    expect(event.report).toMatchObject(expected);
    const openBefore = event.openCount;
    expect(openBefore).toBeGreaterThanOrEqual(1);
    expect(await notToMembers).toBe(false);

    // Again by the same member: the same report, its reason updated.
    const again = await report(reporter.token, firstPost.id, { reason: 'Spam, and rude' });
    expect(again.status).toBe(200);
    expect(again.body.report).toMatchObject({ id: made.body.report.id, reason: 'Spam, and rude' });

    const queue = (await s.api('GET', '/reports', { token: mod.token })).body;
    expect(queue).toMatchObject({ openCount: openBefore, page: 1 });
    expect(queue.reports[0]).toMatchObject({ id: made.body.report.id, reason: 'Spam, and rude' });

    const closedPush = collect(modSocket, 'report:closed', 1);
    const closed = await s.api('POST', `/reports/${made.body.report.id}/close`, { token: mod.token, body: { note: 'Link removed' } });
    expect(closed.status).toBe(200);
    expect(closed.body.report).toMatchObject({ status: 'closed', closedBy: { id: mod.id, username: 'rep_mod' }, note: 'Link removed', closedAt: expect.any(String) });
    expect((await closedPush)[0]).toMatchObject({ report: { id: made.body.report.id, status: 'closed' }, openCount: openBefore - 1 });
    // Closing again changes nothing.
    expect((await s.api('POST', `/reports/${made.body.report.id}/close`, { token: mod.token, body: {} })).body.report).toMatchObject({ note: 'Link removed' });
    const closedList = (await s.api('GET', '/reports?status=closed', { token: mod.token })).body;
    expect(closedList.reports.map((r: { id: string }) => r.id)).toContain(made.body.report.id);
    expect((await s.api('GET', '/reports', { token: mod.token })).body.reports.map((r: { id: string }) => r.id)).not.toContain(made.body.report.id);
    const log = (await s.api('GET', '/modlog', { token: mod.token })).body.entries;
    expect(log.filter((e: { action: string }) => e.action === 'report.close')).toEqual([expect.objectContaining({ actor: { id: mod.id, username: 'rep_mod' }, target: { type: 'post', id: firstPost.id }, reason: 'Link removed' })]);

    // After closing, a new report by the same member is a new one.
    const fresh = await report(reporter.token, firstPost.id, { reason: 'Back again' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.report.id).not.toBe(made.body.report.id);
  });

  it('refuses what it must, with clear errors, and stores nothing', async () => {
    const { admin, member, forum, firstPost } = await seedForum(s);
    const outsider = await s.user('rep_outsider');
    const before = await s.models.Report.countDocuments({});
    expect((await report(undefined, firstPost.id, { reason: 'x' })).status).toBe(401);
    expect((await report(member.token, firstPost.id, { reason: 'my own' })).status).toBe(403);
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 'x', extra: 1 }, { reason: 7 }]) {
      const r = await report(outsider.token, firstPost.id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
    expect((await report(outsider.token, 'nope', { reason: 'x' })).status).toBe(400);
    expect((await report(outsider.token, '0123456789abcdef01234567', { reason: 'x' })).status).toBe(404);
    // A forum the outsider cannot read: its posts cannot be reported (nor found).
    await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    expect((await report(outsider.token, firstPost.id, { reason: 'x' })).status).toBe(403);
    // Members cannot read or close the queue.
    expect((await s.api('GET', '/reports', { token: outsider.token })).status).toBe(403);
    expect((await s.api('GET', '/reports')).status).toBe(401);
    expect((await s.api('GET', '/reports?status=maybe', { token: admin.token })).status).toBe(400);
    expect((await s.api('POST', '/reports/0123456789abcdef01234567/close', { token: outsider.token, body: {} })).status).toBe(403);
    expect((await s.api('POST', '/reports/0123456789abcdef01234567/close', { token: admin.token, body: {} })).status).toBe(404);
    expect(await s.models.Report.countDocuments({})).toBe(before);
  });
});
