import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, collect, receivedWithin, type TestServer, type TestSocket } from './helpers/server.js';

let s: TestServer;
let board: Awaited<ReturnType<typeof seedForum>>;
let moderator: { id: string; token: string };
let n = 0;
const name = (p: string) => `${p}_${++n}`;

beforeAll(async () => {
  s = await startTestServer();
  board = await seedForum(s);
  moderator = await s.user('perm_mod', 'moderator');
});
afterAll(() => s?.close());

/** A forum with one topic (started by the admin), then given these permissions. */
async function forumWith(permissions: Record<string, string[]> | null, title = name('Forum')) {
  const forum = (await s.api('POST', '/forums', { token: board.admin.token, body: { title } })).body.forum;
  const made = await s.api('POST', `/forums/${forum.id}/topics`, { token: board.admin.token, body: { title: 'Inside', body: 'Staff words' } });
  expect(made.status).toBe(201);
  if (permissions) {
    const res = await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body: { permissions } });
    expect(res.status).toBe(200);
    expect(res.body.forum.permissions).toEqual(permissions);
  }
  return { forum: forum as { id: string }, topic: made.body.topic as { id: string }, post: made.body.post as { id: string } };
}

async function memberIn(groups: string[]) {
  const u = await s.user(name('m'));
  if (groups.length) expect((await s.api('PATCH', `/users/${u.id}/groups`, { token: board.admin.token, body: { groups } })).status).toBe(200);
  return u;
}

const listed = async (token?: string) => ((await s.api('GET', '/forums', { token })).body.forums as Array<{ id: string }>).map((f) => f.id);
const code = (a: { ok: boolean; error?: { code: string } }) => (a.ok ? 'OK' : a.error!.code);

describe('private forums', () => {
  const donatorsOnly = { read: ['group:Donator'], post: ['group:Donator'], reply: ['group:Donator'] };

  it('are hidden from and refused to guests (401) and members outside the group (403), on REST and on sockets', async () => {
    const { forum, topic, post } = await forumWith(donatorsOnly);
    const outsider = await memberIn(['Other']);
    const postsBefore = await s.models.Post.countDocuments({});

    expect(await listed()).not.toContain(forum.id);
    expect(await listed(outsider.token)).not.toContain(forum.id);
    expect(await listed()).toContain(board.forum.id);

    for (const [token, status] of [[undefined, 401], [outsider.token, 403]] as const) {
      expect((await s.api('GET', `/forums/${forum.id}/topics`, { token })).status).toBe(status);
      const read = await s.api('GET', `/topics/${topic.id}`, { token });
      expect(read.status).toBe(status);
      expect(read.body.error.code).toBe(status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
      expect(JSON.stringify(read.body)).not.toContain('Staff words');
    }
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: outsider.token, body: { body: 'let me in' } })).status).toBe(403);
    expect((await s.api('POST', `/forums/${forum.id}/topics`, { token: outsider.token, body: { title: 't', body: 'b' } })).status).toBe(403);
    expect((await s.api('POST', `/posts/${post.id}/thanks`, { token: outsider.token })).status).toBe(403);

    const guest = await s.socket();
    const member = await s.socket(outsider.token);
    expect(code(await ack(guest, 'topic:subscribe', { topicId: topic.id }))).toBe('UNAUTHORIZED');
    expect(code(await ack(guest, 'forum:subscribe', { forumId: forum.id }))).toBe('UNAUTHORIZED');
    expect(code(await ack(member, 'topic:subscribe', { topicId: topic.id }))).toBe('FORBIDDEN');
    expect(code(await ack(member, 'forum:subscribe', { forumId: forum.id }))).toBe('FORBIDDEN');
    expect(code(await ack(member, 'post:create', { topicId: topic.id, body: 'socket', clientId: 'x1' }))).toBe('FORBIDDEN');
    expect(code(await ack(member, 'thanks:add', { postId: post.id }))).toBe('FORBIDDEN');
    // Refused subscriptions joined nothing: a new post in the topic reaches neither.
    const heardG = receivedWithin(guest, 'post:created', 400);
    const heardM = receivedWithin(member, 'post:created', 400);
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: board.admin.token, body: { body: 'secret reply' } })).status).toBe(201);
    expect(await heardG).toBe(false);
    expect(await heardM).toBe(false);
    expect(await s.models.Post.countDocuments({})).toBe(postsBefore + 1);
    expect(await s.models.Thanks.countDocuments({ postId: post.id })).toBe(0);
  });

  it('are open to members of the group and to moderators, who read, follow and write', async () => {
    const { forum, topic } = await forumWith(donatorsOnly);
    const donator = await memberIn(['Donator']);
    expect(await listed(donator.token)).toContain(forum.id);
    expect(await listed(moderator.token)).toContain(forum.id);
    expect((await s.api('GET', `/forums/${forum.id}/topics`, { token: donator.token })).status).toBe(200);
    expect((await s.api('GET', `/topics/${topic.id}`, { token: moderator.token })).status).toBe(200);

    const sock = await s.socket(donator.token);
    expect(code(await ack(sock, 'topic:subscribe', { topicId: topic.id }))).toBe('OK');
    expect(code(await ack(sock, 'forum:subscribe', { forumId: forum.id }))).toBe('OK');
    const live = collect(sock, 'post:created', 1);
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: donator.token, body: { body: 'thanks for having me' } })).status).toBe(201);
    expect((await live)[0].post.body).toBe('thanks for having me');
    expect((await s.api('POST', `/forums/${forum.id}/topics`, { token: donator.token, body: { title: 'Mine', body: 'b' } })).status).toBe(201);
  });

  it('keep user profiles public', async () => {
    const donator = await memberIn(['Donator']);
    const res = await s.api('GET', `/users/${donator.id}`);
    expect(res.status).toBe(200);
    expect(res.body.user.groups).toEqual(['Donator']);
  });
});

describe('read-only announcement forums', () => {
  it('let everyone read; only moderators and admins post or reply', async () => {
    const { forum, topic, post } = await forumWith({ post: ['moderator', 'admin'], reply: ['moderator', 'admin'] });
    const member = await memberIn([]);
    const before = await s.models.Post.countDocuments({ topicId: topic.id });
    expect(await listed()).toContain(forum.id);
    expect((await s.api('GET', `/topics/${topic.id}`)).status).toBe(200);

    const reply = await s.api('POST', `/topics/${topic.id}/posts`, { token: member.token, body: { body: 'me too' } });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe('FORBIDDEN');
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { body: { body: 'guest' } })).status).toBe(401);
    expect((await s.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 't', body: 'b' } })).status).toBe(403);
    const sock = await s.socket(member.token);
    expect(code(await ack(sock, 'topic:subscribe', { topicId: topic.id }))).toBe('OK');
    expect(code(await ack(sock, 'post:create', { topicId: topic.id, body: 'socket', clientId: 'ro1' }))).toBe('FORBIDDEN');
    expect(await s.models.Post.countDocuments({ topicId: topic.id })).toBe(before);
    expect(await s.models.Topic.countDocuments({ forumId: forum.id })).toBe(1);

    // Reading is enough to thank an announcement.
    expect((await s.api('POST', `/posts/${post.id}/thanks`, { token: member.token })).status).toBe(201);
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: moderator.token, body: { body: 'official' } })).status).toBe(201);
  });
});

describe('live sockets lose rooms the moment access goes', () => {
  it('a forum made private drops its members’ and guests’ subscriptions, keeps the moderator’s', async () => {
    const { forum, topic } = await forumWith(null);
    const member = await memberIn([]);
    const memberSock = await s.socket(member.token);
    const guestSock = await s.socket();
    const modSock = await s.socket(moderator.token);
    for (const sock of [memberSock, guestSock, modSock]) expect(code(await ack(sock, 'topic:subscribe', { topicId: topic.id }))).toBe('OK');
    expect(code(await ack(memberSock, 'forum:subscribe', { forumId: forum.id }))).toBe('OK');

    // While public, everyone hears a reply.
    // (The opening post's event may still be on its way: the fan-out batches; look for this reply.)
    const heard = (sock: typeof memberSock, body: string) => new Promise<string>((resolve) => sock.on('post:created', (e) => e.post.body === body && resolve(body)));
    const all = [memberSock, guestSock, modSock].map((sock) => heard(sock, 'still public'));
    await s.api('POST', `/topics/${topic.id}/posts`, { token: board.admin.token, body: { body: 'still public' } });
    for (const got of all) expect(await got).toBe('still public');

    const made = await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body: { permissions: { read: ['group:Staff'] } } });
    expect(made.status).toBe(200);

    const memberHears = receivedWithin(memberSock, 'post:created', 500);
    const guestHears = receivedWithin(guestSock, 'post:created', 500);
    const modHears = collect(modSock, 'post:created', 1);
    await s.api('POST', `/topics/${topic.id}/posts`, { token: board.admin.token, body: { body: 'now private' } });
    expect((await modHears)[0].post.body).toBe('now private');
    expect(await memberHears).toBe(false);
    expect(await guestHears).toBe(false);
    expect(memberSock.connected).toBe(true); // only the rooms went, not the connection
    expect(code(await ack(memberSock, 'topic:subscribe', { topicId: topic.id }))).toBe('FORBIDDEN');

    // Back to public: the member may subscribe again.
    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body: { permissions: null } })).body.forum.permissions).toBeUndefined();
    expect(code(await ack(memberSock, 'topic:subscribe', { topicId: topic.id }))).toBe('OK');
  });

  it('new permissions replace the old whole, even when only the names of the lists differ', async () => {
    // FerretDB v1 once kept {reply: X} when asked to store {read: X} (see forum.service update).
    const { forum, topic } = await forumWith({ reply: ['moderator', 'admin'] });
    const outsider = await memberIn([]);
    const changed = await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    expect(changed.body.forum.permissions).toEqual({ read: ['moderator', 'admin'] });
    expect((await s.api('GET', `/topics/${topic.id}`, { token: outsider.token })).status).toBe(403);
    const both = await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body: { permissions: { post: ['moderator', 'admin'], reply: ['admin'] } } });
    expect(both.body.forum.permissions).toEqual({ post: ['moderator', 'admin'], reply: ['admin'] });
    expect((await s.api('GET', `/topics/${topic.id}`, { token: outsider.token })).status).toBe(200);
    expect((await s.api('POST', `/topics/${topic.id}/posts`, { token: outsider.token, body: { body: 'may I?' } })).status).toBe(403);
  });

  it('removing a member from the group drops their subscriptions to the group’s forum', async () => {
    const { forum, topic } = await forumWith({ read: ['group:Donator'] });
    const donator = await memberIn(['Donator', 'Other']);
    const sock: TestSocket = await s.socket(donator.token);
    expect(code(await ack(sock, 'topic:subscribe', { topicId: topic.id }))).toBe('OK');
    expect(code(await ack(sock, 'forum:subscribe', { forumId: forum.id }))).toBe('OK');
    expect(code(await ack(sock, 'topic:subscribe', { topicId: board.topic.id }))).toBe('OK');

    expect((await s.api('PATCH', `/users/${donator.id}/groups`, { token: board.admin.token, body: { groups: ['Other'] } })).status).toBe(200);
    const hearsPrivate = receivedWithin(sock, 'post:created', 500);
    await s.api('POST', `/topics/${topic.id}/posts`, { token: board.admin.token, body: { body: 'donators only' } });
    expect(await hearsPrivate).toBe(false);
    // Rooms of forums still readable are kept.
    const hearsPublic = collect(sock, 'post:created', 1);
    await s.api('POST', `/topics/${board.topic.id}/posts`, { token: board.admin.token, body: { body: 'for all' } });
    expect((await hearsPublic)[0].post.body).toBe('for all');
  });
});

describe('forum administration refuses bad input and changes nothing', () => {
  it('400 for malformed bodies and ids, 404 for unknown forums, 403 for non-admins', async () => {
    const { forum } = await forumWith(null);
    const bad: unknown[] = [
      {},
      { permissions: { read: ['superuser'] } },
      { permissions: { read: ['group:'] } },
      { permissions: { read: ['group: Spaced'] } },
      { permissions: { read: ['member', 'member'] } },
      { permissions: { write: ['member'] } },
      { permissions: { read: 'member' } },
      { permissions: { read: [{ $ne: 1 }] } },
      { title: '' },
      { title: 'ok', extra: 1 },
    ];
    for (const body of bad) {
      const res = await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
    }
    expect((await s.api('PATCH', '/forums/nope', { token: board.admin.token, body: { title: 'x' } })).status).toBe(400);
    expect((await s.api('PATCH', `/forums/${'a'.repeat(24)}`, { token: board.admin.token, body: { title: 'x' } })).status).toBe(404);
    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: moderator.token, body: { title: 'x' } })).status).toBe(403);
    expect((await s.api('PATCH', `/forums/${forum.id}`, { token: board.member.token, body: { permissions: { read: [] } } })).status).toBe(403);
    expect((await s.api('PATCH', `/forums/${forum.id}`, { body: { title: 'x' } })).status).toBe(401);
    const stored = await s.models.Forum.findById(forum.id).lean();
    expect(stored?.permissions).toBeUndefined();
    expect(stored?.title).not.toBe('x');

    const ok = await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body: { title: 'Renamed', description: 'New words' } });
    expect(ok.body.forum).toMatchObject({ id: forum.id, title: 'Renamed', description: 'New words' });
    expect(ok.body.forum.permissions).toBeUndefined();
  });

  it('an empty read list makes a staff-only forum', async () => {
    const { forum, topic } = await forumWith({ read: [] });
    expect((await s.api('GET', `/topics/${topic.id}`, { token: board.member.token })).status).toBe(403);
    expect((await s.api('GET', `/topics/${topic.id}`, { token: moderator.token })).status).toBe(200);
    expect(await listed(board.admin.token)).toContain(forum.id);
  });
});

describe('may flags (the New Topic and Post Reply buttons)', () => {
  async function botToken(scopes: string[]) {
    const bot = await s.api('POST', '/bots', { token: board.admin.token, body: { username: name('flagbot') } });
    expect(bot.status).toBe(201);
    const granted = await s.api('POST', `/bots/${bot.body.bot.id}/tokens`, { token: board.admin.token, body: { scopes } });
    expect(granted.status).toBe(201);
    return granted.body.token as string;
  }

  it('are true exactly when the POST they stand for is accepted, per user, per forum, locked and deleted topics too', async () => {
    const forums = {
      open: await forumWith(null),
      readOnly: await forumWith({ post: ['moderator', 'admin'], reply: ['moderator', 'admin'] }),
      replyOnly: await forumWith({ post: ['moderator', 'admin'] }),
      writers: await forumWith({ post: ['group:Writers'], reply: ['group:Writers'] }),
    };
    const locked = (await s.api('POST', `/forums/${forums.open.forum.id}/topics`, { token: board.admin.token, body: { title: 'Closed', body: 'no more' } })).body.topic;
    expect((await s.api('POST', `/topics/${locked.id}/lock`, { token: moderator.token, body: {} })).status).toBe(200);
    const deleted = (await s.api('POST', `/forums/${forums.open.forum.id}/topics`, { token: board.admin.token, body: { title: 'Gone', body: 'soon' } })).body.topic;
    expect((await s.api('DELETE', `/topics/${deleted.id}`, { token: moderator.token, body: {} })).status).toBe(200);

    const users: Record<string, string | undefined> = {
      guest: undefined,
      member: (await memberIn([])).token,
      writer: (await memberIn(['Writers'])).token,
      moderator: moderator.token,
      readBot: await botToken(['read']),
      postBot: await botToken(['read', 'post']),
    };
    // Every listing first, all users at once (nothing one user is answered may reach another), then every POST.
    const forumNames = Object.keys(forums) as Array<keyof typeof forums>;
    const topics: Record<string, string> = { ...Object.fromEntries(forumNames.map((f) => [f, forums[f].topic.id])), locked: locked.id, deleted: deleted.id };
    const flags = await Promise.all(
      Object.entries(users).map(async ([who, token]) => {
        const listing = (await s.api('GET', '/forums', { token })).body.forums as Array<{ id: string; may: { post: boolean } }>;
        const post: Record<string, boolean> = {};
        for (const f of forumNames) {
          const inListing = listing.find((x) => x.id === forums[f].forum.id)!.may.post;
          const inPage = (await s.api('GET', `/forums/${forums[f].forum.id}/topics`, { token })).body.forum.may.post;
          expect(inPage, `${who} ${f}: listing and forum page agree`).toBe(inListing);
          post[f] = inListing;
        }
        const reply: Record<string, boolean | null> = {};
        for (const [t, id] of Object.entries(topics)) {
          const page = await s.api('GET', `/topics/${id}`, { token });
          reply[t] = page.status === 200 ? page.body.topic.may.reply : null; // null: not shown at all
        }
        return [who, { post, reply }] as const;
      }),
    );
    for (const [who, { post, reply }] of flags) {
      const token = users[who];
      for (const f of forumNames) {
        const res = await s.api('POST', `/forums/${forums[f].forum.id}/topics`, { token, body: { title: `By ${who}`, body: 'b' } });
        expect(res.status === 201, `${who} may.post in ${f} (answered ${res.status})`).toBe(post[f]);
      }
      for (const [t, id] of Object.entries(topics)) {
        const res = await s.api('POST', `/topics/${id}/posts`, { token, body: { body: `reply by ${who}` } });
        expect(res.status === 201, `${who} may.reply in ${t} (answered ${res.status})`).toBe(reply[t] === true);
      }
    }
    // And what they are: the rules of the forums above, the lock, the deletion, the scopes.
    expect(Object.fromEntries(flags)).toEqual({
      guest: { post: { open: false, readOnly: false, replyOnly: false, writers: false }, reply: { open: false, readOnly: false, replyOnly: false, writers: false, locked: false, deleted: null } },
      member: { post: { open: true, readOnly: false, replyOnly: false, writers: false }, reply: { open: true, readOnly: false, replyOnly: true, writers: false, locked: false, deleted: null } },
      writer: { post: { open: true, readOnly: false, replyOnly: false, writers: true }, reply: { open: true, readOnly: false, replyOnly: true, writers: true, locked: false, deleted: null } },
      moderator: { post: { open: true, readOnly: true, replyOnly: true, writers: true }, reply: { open: true, readOnly: true, replyOnly: true, writers: true, locked: true, deleted: false } },
      readBot: { post: { open: false, readOnly: false, replyOnly: false, writers: false }, reply: { open: false, readOnly: false, replyOnly: false, writers: false, locked: false, deleted: null } },
      postBot: { post: { open: true, readOnly: false, replyOnly: false, writers: false }, reply: { open: true, readOnly: false, replyOnly: true, writers: false, locked: false, deleted: null } },
    });
  });

  it('follow a lock and a permission change at the next request', async () => {
    const { forum, topic } = await forumWith(null);
    const member = await memberIn([]);
    const mayReply = async () => (await s.api('GET', `/topics/${topic.id}`, { token: member.token })).body.topic.may.reply;
    const mayPost = async () => ((await s.api('GET', '/forums', { token: member.token })).body.forums as Array<{ id: string; may: { post: boolean } }>).find((f) => f.id === forum.id)!.may.post;
    expect([await mayReply(), await mayPost()]).toEqual([true, true]);
    await s.api('POST', `/topics/${topic.id}/lock`, { token: moderator.token, body: {} });
    expect(await mayReply()).toBe(false);
    await s.api('POST', `/topics/${topic.id}/unlock`, { token: moderator.token, body: {} });
    expect(await mayReply()).toBe(true);
    await s.api('PATCH', `/forums/${forum.id}`, { token: board.admin.token, body: { permissions: { post: ['moderator'], reply: ['moderator'] } } });
    expect([await mayReply(), await mayPost()]).toEqual([false, false]);
  });
});
