import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, collect, receivedWithin, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const start = (token: string, body: unknown) => s.api('POST', '/conversations', { token, body });
const send = (token: string, id: string, body: unknown) => s.api('POST', `/conversations/${id}/messages`, { token, body });
const inbox = async (token: string, page = 1) => (await s.api('GET', `/conversations?page=${page}`, { token })).body;

describe('private messages', () => {
  it('starts a conversation, delivers each message live to every participant, and numbers them', async () => {
    const ann = await s.user('pm_ann');
    const ben = await s.user('pm_ben');
    const cat = await s.user('Pm Cat');
    const benSocket = await s.socket(ben.token);
    const annTab = await s.socket(ann.token);
    const toBen = collect(benSocket, 'message:new', 1);
    const toAnnsTab = collect(annTab, 'message:new', 1);

    const made = await start(ann.token, { to: ['PM_BEN', 'pm cat', 'pm_ann'], title: 'Meet up', body: 'Saturday, **10am**?' });
    expect(made.status).toBe(201);
    const { conversation, message } = made.body;
    expect(conversation).toMatchObject({
      title: 'Meet up',
      participants: [
        { id: ann.id, username: 'pm_ann' },
        { id: ben.id, username: 'pm_ben' },
        { id: cat.id, username: 'Pm Cat' },
      ],
      messageCount: 1,
      lastMessage: { id: message.id, author: { id: ann.id, username: 'pm_ann' }, snippet: 'Saturday, 10am?' },
      unread: false,
    });
    expect(message).toMatchObject({ conversationId: conversation.id, author: { id: ann.id }, body: 'Saturday, **10am**?', bodyHtml: '<p>Saturday, <strong>10am</strong>?</p>\n', number: 1 });
    const [benHears] = await toBen;
    expect(benHears).toMatchObject({ conversation: { id: conversation.id, unread: true }, message: { id: message.id }, unreadCount: 1 });
    expect((await toAnnsTab)[0]).toMatchObject({ conversation: { unread: false }, unreadCount: 0 });

    const annHears = collect(annTab, 'message:new', 1);
    const answer = await send(ben.token, conversation.id, { body: 'Works for me', clientId: 'ben-1' });
    expect(answer.status).toBe(201);
    expect(answer.body.message).toMatchObject({ number: 2, author: { username: 'pm_ben' } });
    expect((await annHears)[0]).toMatchObject({ message: { id: answer.body.message.id }, conversation: { unread: true, messageCount: 2, lastMessage: { snippet: 'Works for me' } }, unreadCount: 1 });
    // The same clientId again: the same message, no second one, no push.
    const quiet = receivedWithin(annTab, 'message:new', 500);
    expect((await send(ben.token, conversation.id, { body: 'Works for me', clientId: 'ben-1' })).body.message.id).toBe(answer.body.message.id);
    expect(await quiet).toBe(false);

    const page = await s.api('GET', `/conversations/${conversation.id}`, { token: cat.token });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ conversation: { id: conversation.id, unread: true, messageCount: 2 }, page: 1, pageCount: 1 });
    expect(page.body.messages.map((m: { number: number; body: string }) => [m.number, m.body])).toEqual([
      [1, 'Saturday, **10am**?'],
      [2, 'Works for me'],
    ]);
  });

  it('counts unread conversations and reads them in every tab', async () => {
    const dan = await s.user('pm_dan');
    const eve = await s.user('pm_eve');
    const one = (await start(dan.token, { to: ['pm_eve'], title: 'One', body: 'first' })).body.conversation;
    const two = (await start(dan.token, { to: ['pm_eve'], title: 'Two', body: 'second' })).body.conversation;
    const listed = await inbox(eve.token);
    expect(listed).toMatchObject({ unreadCount: 2, page: 1, pageCount: 1 });
    expect(listed.conversations.map((c: { title: string; unread: boolean }) => [c.title, c.unread])).toEqual([
      ['Two', true],
      ['One', true],
    ]);
    expect((await inbox(dan.token)).unreadCount).toBe(0);

    const tab = await s.socket(eve.token);
    const read = collect(tab, 'conversation:read', 1);
    expect((await s.api('POST', `/conversations/${one.id}/read`, { token: eve.token, body: {} })).body).toEqual({ unreadCount: 1 });
    expect((await read)[0]).toEqual({ conversationId: one.id, unreadCount: 1 });
    // A reply to the read one makes it unread again and puts it first.
    await send(dan.token, one.id, { body: 'more' });
    const after = await inbox(eve.token);
    expect(after.conversations.map((c: { title: string; unread: boolean }) => [c.title, c.unread])).toEqual([
      ['One', true],
      ['Two', true],
    ]);
    expect(after.unreadCount).toBe(2);
    expect((await s.api('GET', `/conversations/${two.id}?page=last`, { token: eve.token })).body.messages.map((m: { body: string }) => m.body)).toEqual(['second']);
  });

  it('the author edits a message: every participant hears it, the inbox snippet follows; others may not', async () => {
    const [ivy, jon] = [await s.user('pm_edit_ivy'), await s.user('pm_edit_jon')];
    const started = (await start(ivy.token, { to: ['pm_edit_jon'], title: 'Typo', body: 'Helo there' })).body;
    const id = started.conversation.id;
    const jonTab = await s.socket(jon.token);
    const ivyTab = await s.socket(ivy.token);
    const heard = Promise.all([collect(jonTab, 'message:updated', 1), collect(ivyTab, 'message:updated', 1)]);
    const edited = await s.api('PATCH', `/conversations/${id}/messages/${started.message.id}`, { token: ivy.token, body: { body: 'Hello **there**' } });
    expect(edited.status).toBe(200);
    expect(edited.body.message).toMatchObject({ id: started.message.id, body: 'Hello **there**', number: 1, editCount: 1, editedAt: expect.any(String) });
    expect(edited.body.message.bodyHtml).toContain('<strong>there</strong>');
    for (const [event] of await heard) expect(event).toMatchObject({ conversationId: id, message: { id: started.message.id, editCount: 1 } });
    expect((await inbox(jon.token)).conversations[0].lastMessage.snippet).toBe('Hello there');
    const page = (await s.api('GET', `/conversations/${id}`, { token: jon.token })).body;
    expect(page.messages[0]).toMatchObject({ body: 'Hello **there**', editCount: 1 });
    // Jon may not edit Ivy's message; an outsider cannot find it; bad bodies are refused; nothing changes.
    const refused = await s.api('PATCH', `/conversations/${id}/messages/${started.message.id}`, { token: jon.token, body: { body: 'hijack' } });
    expect(refused.status).toBe(403);
    const outsider = await s.user('pm_edit_out');
    expect((await s.api('PATCH', `/conversations/${id}/messages/${started.message.id}`, { token: outsider.token, body: { body: 'x' } })).status).toBe(404);
    expect((await s.api('PATCH', `/conversations/${id}/messages/0123456789abcdef01234567`, { token: ivy.token, body: { body: 'x' } })).status).toBe(404);
    for (const body of [{}, { body: '' }, { body: '   ' }, { body: 'x', extra: 1 }]) {
      expect((await s.api('PATCH', `/conversations/${id}/messages/${started.message.id}`, { token: ivy.token, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await s.api('PATCH', `/conversations/${id}/messages/${started.message.id}`, { body: { body: 'x' } })).status).toBe(401);
    expect((await s.api('GET', `/conversations/${id}`, { token: ivy.token })).body.messages[0]).toMatchObject({ body: 'Hello **there**', editCount: 1 });
  });

  it('the author deletes a message: its text is erased, its place kept, every participant hears it; again changes nothing; others may not', async () => {
    const [kim, lou] = [await s.user('pm_del_kim'), await s.user('pm_del_lou')];
    const started = (await start(kim.token, { to: ['pm_del_lou'], title: 'Oops', body: 'My secret **address**' })).body;
    const id = started.conversation.id;
    const loose = (await send(kim.token, id, { body: 'Sent to the wrong person' })).body.message;
    const answer = (await send(lou.token, id, { body: 'Got it' })).body.message;
    const url = (m: { id: string }) => `/conversations/${id}/messages/${m.id}`;
    const louTab = await s.socket(lou.token);
    const kimTab = await s.socket(kim.token);
    const heard = Promise.all([collect(louTab, 'message:updated', 1), collect(kimTab, 'message:updated', 1)]);

    const deleted = await s.api('DELETE', url(started.message), { token: kim.token });
    expect(deleted.status).toBe(200);
    expect(deleted.body.message).toEqual({ ...started.message, body: '', bodyHtml: '', deleted: true, editCount: 1 });
    for (const [event] of await heard) expect(event).toEqual({ conversationId: id, message: deleted.body.message });
    const stored = await s.models.PrivateMessage.findById(started.message.id).lean();
    expect([stored?.body, stored?.bodyHtml]).toEqual(['', '']); // gone from the database, not only hidden
    const page = (await s.api('GET', `/conversations/${id}`, { token: lou.token })).body;
    expect(page.messages.map((m: { number: number; deleted?: boolean; body: string }) => [m.number, m.deleted ?? false, m.body])).toEqual([
      [1, true, ''],
      [2, false, 'Sent to the wrong person'],
      [3, false, 'Got it'],
    ]);
    // Deleting it again answers the same and tells no one; it cannot be edited any more.
    const quiet = receivedWithin(louTab, 'message:updated', 400);
    expect(await s.api('DELETE', url(started.message), { token: kim.token })).toMatchObject({ status: 200, body: deleted.body });
    expect(await quiet).toBe(false);
    expect(await s.api('PATCH', url(started.message), { token: kim.token, body: { body: 'back' } })).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'That message was deleted' } } });

    // The last message deleted: the inbox snippet goes with it.
    expect((await s.api('DELETE', url(answer), { token: lou.token })).status).toBe(200);
    expect((await inbox(kim.token)).conversations[0].lastMessage).toMatchObject({ id: answer.id, snippet: '' });
    // Lou may not delete Kim's message, an outsider cannot find it, guests and bad ids are refused; nothing changes.
    expect(await s.api('DELETE', url(loose), { token: lou.token })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const outsider = await s.user('pm_del_out');
    expect((await s.api('DELETE', url(loose), { token: outsider.token })).status).toBe(404);
    expect((await s.api('DELETE', url(loose))).status).toBe(401);
    expect((await s.api('DELETE', `/conversations/${id}/messages/nope`, { token: kim.token })).status).toBe(400);
    expect((await s.api('DELETE', `/conversations/${id}/messages/0123456789abcdef01234567`, { token: kim.token })).status).toBe(404);
    expect((await s.api('GET', `/conversations/${id}`, { token: kim.token })).body.messages[1]).toMatchObject({ body: 'Sent to the wrong person' });
    expect((await s.api('GET', `/conversations/${id}`, { token: kim.token })).body.messages[1].deleted).toBeUndefined();
  });

  it('a member leaves a conversation: it goes from their inbox and count, the others carry on, the last one out deletes it', async () => {
    const [fay, gus, hal] = [await s.user('pm_leave_fay'), await s.user('pm_leave_gus'), await s.user('pm_leave_hal')];
    const c = (await start(fay.token, { to: ['pm_leave_gus', 'pm_leave_hal'], title: 'Trio', body: 'hello all' })).body.conversation;
    expect((await inbox(gus.token)).unreadCount).toBe(1);
    const tab = await s.socket(gus.token);
    const counted = collect(tab, 'conversation:read', 1);
    const left = await s.api('POST', `/conversations/${c.id}/leave`, { token: gus.token, body: {} });
    expect(left.body).toEqual({ conversationId: c.id, left: true, unreadCount: 0 });
    expect((await counted)[0]).toEqual({ conversationId: c.id, unreadCount: 0 });
    expect((await inbox(gus.token)).conversations).toEqual([]);
    expect((await s.api('GET', `/conversations/${c.id}`, { token: gus.token })).status).toBe(404);
    expect((await send(gus.token, c.id, { body: 'back?' })).status).toBe(404);
    expect((await s.api('POST', `/conversations/${c.id}/leave`, { token: gus.token, body: {} })).status).toBe(404);
    // The others carry on, without gus.
    const gusHears = receivedWithin(tab, 'message:new', 600);
    expect((await send(hal.token, c.id, { body: 'just us' })).status).toBe(201);
    expect(await gusHears).toBe(false);
    const seen = (await s.api('GET', `/conversations/${c.id}`, { token: fay.token })).body;
    expect(seen.conversation.participants.map((p: { username: string }) => p.username)).toEqual(['pm_leave_fay', 'pm_leave_hal']);
    expect(seen.messages.map((m: { body: string }) => m.body)).toEqual(['hello all', 'just us']);
    // The last two leave: nothing is left behind.
    await s.api('POST', `/conversations/${c.id}/leave`, { token: fay.token, body: {} });
    await s.api('POST', `/conversations/${c.id}/leave`, { token: hal.token, body: {} });
    expect(await s.models.Conversation.countDocuments({ _id: c.id })).toBe(0);
    expect(await s.models.PrivateMessage.countDocuments({ conversationId: c.id })).toBe(0);
    expect(await s.models.ConversationRead.countDocuments({ conversationId: c.id })).toBe(0);
    expect((await s.api('POST', `/conversations/${c.id}/leave`)).status).toBe(401);
  });

  it('only participants see a conversation; others and guests are refused and nothing changes', async () => {
    const fay = await s.user('pm_fay');
    await s.user('pm_gus');
    const outsider = await s.user('pm_outsider');
    const mod = await s.user('pm_mod', 'moderator');
    const c = (await start(fay.token, { to: ['pm_gus'], title: 'Private', body: 'secret' })).body.conversation;
    const listen = await s.socket(outsider.token);
    const leaked = receivedWithin(listen, 'message:new', 500);
    for (const token of [outsider.token, mod.token]) {
      expect((await s.api('GET', `/conversations/${c.id}`, { token })).status).toBe(404);
      expect((await send(token, c.id, { body: 'let me in' })).status).toBe(404);
      expect((await s.api('POST', `/conversations/${c.id}/read`, { token, body: {} })).status).toBe(404);
      expect((await inbox(token)).conversations).toEqual([]);
    }
    await send(fay.token, c.id, { body: 'still secret' });
    expect(await leaked).toBe(false);
    expect((await s.api('GET', `/conversations/${c.id}`)).status).toBe(401);
    expect((await s.api('GET', '/conversations')).status).toBe(401);
    expect(await s.models.PrivateMessage.countDocuments({ conversationId: c.id })).toBe(2);
  });

  it('refuses bad input with clear errors and stores nothing', async () => {
    const hal = await s.user('pm_hal');
    await s.user('pm_ida');
    const before = await s.models.Conversation.countDocuments({});
    const cases: Array<[unknown, number, string]> = [
      [{ to: ['pm_ida'], title: 'x' }, 400, 'BAD_REQUEST'],
      [{ to: [], title: 'x', body: 'y' }, 400, 'BAD_REQUEST'],
      [{ to: 'pm_ida', title: 'x', body: 'y' }, 400, 'BAD_REQUEST'],
      [{ to: Array.from({ length: 11 }, (_, i) => `u${i}`), title: 'x', body: 'y' }, 400, 'BAD_REQUEST'],
      [{ to: ['pm_ida'], title: '  ', body: 'y' }, 400, 'BAD_REQUEST'],
      [{ to: ['pm_ida'], title: 'x', body: 'y', $where: '1' }, 400, 'BAD_REQUEST'],
      [{ to: ['pm_hal'], title: 'x', body: 'y' }, 400, 'BAD_REQUEST'],
      [{ to: ['pm_ida', 'nobody_at_all'], title: 'x', body: 'y' }, 404, 'NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const r = await start(hal.token, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
    expect((await start(hal.token, { to: ['pm_ida', 'nobody_at_all'], title: 'x', body: 'y' })).body.error.message).toContain('nobody_at_all');
    expect(await s.models.Conversation.countDocuments({})).toBe(before);
    const c = (await start(hal.token, { to: ['pm_ida'], title: 'ok', body: 'ok' })).body.conversation;
    expect((await send(hal.token, c.id, { body: '' })).status).toBe(400);
    expect((await send(hal.token, 'not-an-id', { body: 'x' })).status).toBe(400);
    expect((await send(hal.token, '0123456789abcdef01234567', { body: 'x' })).status).toBe(404);
    expect((await s.api('GET', `/conversations/${c.id}?page=0`, { token: hal.token })).status).toBe(400);
    expect(await s.models.PrivateMessage.countDocuments({ conversationId: c.id })).toBe(1);
  });

  it('pages a long conversation, oldest first', async () => {
    const jo = await s.user('pm_jo');
    await s.user('pm_kim');
    const c = (await start(jo.token, { to: ['pm_kim'], title: 'Long', body: 'm1' })).body.conversation;
    for (let i = 2; i <= 23; i++) await send(jo.token, c.id, { body: `m${i}` });
    const first = (await s.api('GET', `/conversations/${c.id}`, { token: jo.token })).body;
    expect(first).toMatchObject({ page: 1, pageCount: 2 });
    expect(first.messages).toHaveLength(20);
    const last = (await s.api('GET', `/conversations/${c.id}?page=last`, { token: jo.token })).body;
    expect(last.page).toBe(2);
    expect(last.messages.map((m: { body: string }) => m.body)).toEqual(['m21', 'm22', 'm23']);
  });
});
