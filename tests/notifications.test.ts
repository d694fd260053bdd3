import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, collect, receivedWithin, type TestServer } from './helpers/server.js';
import { addressedIn } from '../server/render/mentions.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const notificationsOf = async (token: string, page = 1) => (await s.api('GET', `/notifications?page=${page}`, { token })).body;
const reply = (token: string, topicId: string, body: string) => s.api('POST', `/topics/${topicId}/posts`, { token, body: { body } });
/** Notifications are made after the post is answered: wait until `count` are stored for the member (`unread`: that many unread). */
async function until(token: string, count: number, { unread = false } = {}) {
  for (let i = 0; i < 100; i++) {
    const page = await notificationsOf(token);
    if ((unread ? page.unreadCount : page.notifications.length) >= count) return page;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} notifications`);
}

describe('who a post body addresses', () => {
  it('finds top-level quote authors and mentions, not inside quotes or code, not the author, each once', () => {
    const body = [
      '[quote="Alice Smith" post_id=3]hi @carol [quote=dave]deep[/quote][/quote]',
      'thanks @bob, and @"Eve Q". Mail me at x@frank.org; see `@gina` and [code]@hank[/code]',
      '```\n@ivan\n```',
      '@Bob again, @me, @a and @jules.',
    ].join('\n');
    expect(addressedIn(body, 'ME')).toEqual({ quoted: ['alice smith'], mentioned: ['bob', 'eve q', 'jules'] });
  });

  it('takes at most the limit, quotes first', () => {
    const body = `[quote=q1]x[/quote] ${Array.from({ length: 20 }, (_, i) => `@user${i}`).join(' ')}`;
    const { quoted, mentioned } = addressedIn(body, 'author', 5);
    expect(quoted).toEqual(['q1']);
    expect(mentioned).toEqual(['user0', 'user1', 'user2', 'user3']);
  });
});

describe('notifications', () => {
  it('tells a topic author of a reply live, once per topic until read; never of their own posts', async () => {
    const { member, topic } = await seedForum(s);
    const replier = await s.user('replier_one');
    const own = await s.socket(member.token);
    const pushed = collect(own, 'notification:new', 1);

    expect((await reply(member.token, topic.id, 'My own follow-up')).status).toBe(201);
    const first = await reply(replier.token, topic.id, 'A reply');
    const [event] = await pushed;
    expect(event).toEqual({
      notification: {
        id: expect.any(String),
        kind: 'reply',
        actor: { id: replier.id, username: 'replier_one' },
        topicId: topic.id,
        forumId: topic.forumId,
        topicTitle: 'Hello world',
        postId: first.body.post.id,
        postNumber: 3,
        createdAt: expect.any(String),
        read: false,
      },
      unreadCount: 1,
    });

    // More replies while it is unread: no second notification, no push.
    const more = receivedWithin(own, 'notification:new', 600);
    await reply(replier.token, topic.id, 'Another reply');
    await reply(replier.token, topic.id, 'And another');
    expect(await more).toBe(false);
    const page = await notificationsOf(member.token);
    expect(page).toMatchObject({ unreadCount: 1, page: 1, pageCount: 1 });
    expect(page.notifications.map((n: { kind: string }) => n.kind)).toEqual(['reply']);

    // Once read, the next reply tells again.
    const readPush = collect(own, 'notifications:read', 1);
    expect((await s.api('POST', '/notifications/read', { token: member.token, body: {} })).body).toEqual({ unreadCount: 0 });
    expect((await readPush)[0]).toEqual({ all: true, unreadCount: 0 });
    const again = collect(own, 'notification:new', 1);
    const later = await reply(replier.token, topic.id, 'After you read');
    expect((await again)[0]).toMatchObject({ notification: { kind: 'reply', postId: later.body.post.id, postNumber: 6 }, unreadCount: 1 });
    expect((await notificationsOf(member.token)).notifications.map((n: { read: boolean }) => n.read)).toEqual([false, true]);
  });

  it('tells whom a post quotes and mentions (one notification each, quote first), over REST and the socket', async () => {
    const { member, topic } = await seedForum(s);
    const quoted = await s.user('quoted_one');
    const mentioned = await s.user('Mentioned One');
    const poster = await s.user('poster_one');
    const q = await s.socket(quoted.token);
    const m = await s.socket(mentioned.token);
    const toQuoted = collect(q, 'notification:new', 1);
    const toMentioned = collect(m, 'notification:new', 1);

    const posterSocket = await s.socket(poster.token);
    const sent = await ack(posterSocket, 'post:create', { topicId: topic.id, body: '[quote="quoted_one"]earlier[/quote]\nYes @quoted_one and @"mentioned one", and @nobody_here', clientId: 'n-1' });
    expect(sent.ok).toBe(true);
    expect((await toQuoted)[0].notification).toMatchObject({ kind: 'quote', actor: { username: 'poster_one' }, postId: sent.data.post.id });
    expect((await toMentioned)[0].notification).toMatchObject({ kind: 'mention', actor: { username: 'poster_one' }, postId: sent.data.post.id });
    // The topic's author was neither quoted nor mentioned: a reply notification.
    const authorPage = await until(member.token, 1);
    expect(authorPage.notifications[0]).toMatchObject({ kind: 'reply', postId: sent.data.post.id });
    // The quoted member was also mentioned: still one notification.
    expect((await notificationsOf(quoted.token)).notifications).toHaveLength(1);

    // A new topic's first post mentions too.
    const t2 = await s.api('POST', `/forums/${topic.forumId}/topics`, { token: poster.token, body: { title: 'Ping', body: 'Hey @quoted_one' } });
    expect(t2.status).toBe(201);
    const page = await until(quoted.token, 2);
    expect(page.notifications[0]).toMatchObject({ kind: 'mention', topicTitle: 'Ping', postNumber: 1 });
  });

  it('tells a post author of a thanks, once per giver and post', async () => {
    const { member, firstPost } = await seedForum(s);
    const fan = await s.user('fan_of_notes');
    const own = await s.socket(member.token);
    const pushed = collect(own, 'notification:new', 1);
    expect((await s.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token })).status).toBe(201);
    expect((await pushed)[0].notification).toMatchObject({ kind: 'thanks', actor: { id: fan.id }, postId: firstPost.id, postNumber: 1 });

    const twice = receivedWithin(own, 'notification:new', 600);
    await s.api('DELETE', `/posts/${firstPost.id}/thanks`, { token: fan.token });
    await s.api('POST', `/posts/${firstPost.id}/thanks`, { token: fan.token });
    expect(await twice).toBe(false);
    expect((await notificationsOf(member.token)).notifications).toHaveLength(1);
  });

  it('never tells a member who cannot read the forum, and hides those whose forum they can no longer read', async () => {
    const { admin, member, forum, topic } = await seedForum(s);
    const outsider = await s.user('outsider_one');
    const mod = await s.user('mod_one', 'moderator');
    const secret = await s.api('POST', '/forums', { token: admin.token, body: { title: 'Staff', description: 'Moderators only' } });
    await s.api('PATCH', `/forums/${secret.body.forum.id}`, { token: admin.token, body: { permissions: { read: [], post: [], reply: [] } } });
    const outsiderSocket = await s.socket(outsider.token);
    const pushes: Array<{ notification: { topicTitle: string } }> = [];
    outsiderSocket.on('notification:new', (e) => pushes.push(e));
    const t = await s.api('POST', `/forums/${secret.body.forum.id}/topics`, { token: mod.token, body: { title: 'Private', body: 'About @outsider_one and @' + member.username } });
    expect(t.status).toBe(201);
    // A post in the public forum does reach the outsider (so the wait below is not vacuous).
    await reply(mod.token, topic.id, 'Public hello @outsider_one');
    await until(outsider.token, 1);
    await new Promise((r) => setTimeout(r, 300)); // the private post's notifications had their time too
    expect(pushes.map((e) => e.notification.topicTitle)).toEqual(['Hello world']);
    expect(await s.models.Notification.countDocuments({ userId: outsider.id })).toBe(1);
    expect(await s.models.Notification.countDocuments({ userId: member.id, topicId: t.body.topic.id })).toBe(0);

    // The member had a notification from the public forum; once that forum is closed to members, it is not listed.
    await until(member.token, 1);
    await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    expect(await notificationsOf(member.token)).toMatchObject({ notifications: [], unreadCount: 0 });
  });

  it('marks only the member’s own notifications read; bad input and guests change nothing', async () => {
    const { member, topic } = await seedForum(s);
    const other = await s.user('other_reader');
    await reply(other.token, topic.id, `Hi @${member.username}`);
    await reply(member.token, topic.id, 'Hi @other_reader');
    const mine = (await until(member.token, 1)).notifications[0];
    const theirs = (await until(other.token, 1)).notifications[0];

    // Someone else's id: nothing changes.
    expect((await s.api('POST', '/notifications/read', { token: member.token, body: { ids: [theirs.id] } })).body).toEqual({ unreadCount: 1 });
    expect((await notificationsOf(other.token)).unreadCount).toBe(1);

    for (const body of [{ ids: [] }, { ids: ['nope'] }, { ids: 'all' }, { all: true }, { ids: Array.from({ length: 101 }, () => mine.id) }]) {
      const r = await s.api('POST', '/notifications/read', { token: member.token, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('BAD_REQUEST');
    }
    expect((await s.api('GET', '/notifications?page=0', { token: member.token })).status).toBe(400);
    expect((await s.api('GET', '/notifications')).status).toBe(401);
    expect((await s.api('POST', '/notifications/read', { body: {} })).status).toBe(401);
    expect((await notificationsOf(member.token)).unreadCount).toBe(1);

    // Its own id: read, in every tab.
    const tab = await s.socket(member.token);
    const readPush = collect(tab, 'notifications:read', 1);
    expect((await s.api('POST', '/notifications/read', { token: member.token, body: { ids: [mine.id.toUpperCase()] } })).body).toEqual({ unreadCount: 0 });
    expect((await readPush)[0]).toEqual({ ids: [mine.id], all: false, unreadCount: 0 });
    expect((await notificationsOf(member.token)).notifications[0]).toMatchObject({ id: mine.id, read: true });
  });

  it('an edit tells members it newly names; a deletion takes the post’s notifications away in every tab', async () => {
    const { topic } = await seedForum(s);
    const writer = await s.user('edit_writer');
    const first = await s.user('named_first');
    const later = await s.user('named_later');
    const posted = await reply(writer.token, topic.id, 'Hello @named_first');
    await until(first.token, 1);
    const laterSocket = await s.socket(later.token);
    const toLater = collect(laterSocket, 'notification:new', 1);
    const firstSocket = await s.socket(first.token);
    const again = receivedWithin(firstSocket, 'notification:new', 800);
    expect((await s.api('PATCH', `/posts/${posted.body.post.id}`, { token: writer.token, body: { body: 'Hello @named_first and @named_later' } })).status).toBe(200);
    expect((await toLater)[0].notification).toMatchObject({ kind: 'mention', actor: { username: 'edit_writer' }, postId: posted.body.post.id, topicTitle: 'Hello world' });
    expect(await again).toBe(false);
    expect((await notificationsOf(first.token)).notifications).toHaveLength(1);

    const gone = collect(laterSocket, 'notifications:read', 1);
    expect((await s.api('DELETE', `/posts/${posted.body.post.id}`, { token: writer.token })).status).toBe(200);
    const [event] = await gone;
    expect(event).toMatchObject({ all: false, unreadCount: 0, ids: [expect.any(String)] });
    expect(await notificationsOf(later.token)).toMatchObject({ notifications: [], unreadCount: 0 });
    expect(await s.models.Notification.countDocuments({ postId: posted.body.post.id })).toBe(0);
  });

  it('reading a topic reads its notifications up to the post read, in every tab; a reply after that tells again', async () => {
    const { member, topic } = await seedForum(s);
    const replier = await s.user('read_replier');
    const first = await reply(replier.token, topic.id, `One for @${member.username}`); // a mention (post 2)
    await until(member.token, 1);
    const second = await reply(replier.token, topic.id, 'Two'); // a reply notification (post 3)
    await until(member.token, 2);
    const tab = await s.socket(member.token);
    const readPush = collect(tab, 'notifications:read', 1);
    expect((await s.api('POST', `/topics/${topic.id}/read`, { token: member.token, body: { number: first.body.post.number } })).status).toBe(200);
    const [event] = await readPush;
    expect(event).toMatchObject({ all: false, unreadCount: 1, ids: [expect.any(String)] });
    const listed = (await notificationsOf(member.token)).notifications;
    expect(listed.map((n: { postId: string; read: boolean }) => [n.postId, n.read])).toEqual([
      [second.body.post.id, false],
      [first.body.post.id, true],
    ]);

    const all = collect(tab, 'notifications:read', 1);
    await s.api('POST', `/topics/${topic.id}/read`, { token: member.token, body: { number: 99 } });
    expect((await all)[0]).toMatchObject({ unreadCount: 0 });
    const next = collect(tab, 'notification:new', 1);
    const third = await reply(replier.token, topic.id, 'Three');
    expect((await next)[0].notification).toMatchObject({ kind: 'reply', postId: third.body.post.id });
  });

  it('a member watching a topic is told of its replies (once until read); unwatching stops it; bad input and unreadable topics are refused', async () => {
    const { admin, topic, forum } = await seedForum(s);
    const watcher = await s.user('watch_member');
    const replier = await s.user('watch_replier');
    const tab = await s.socket(watcher.token);
    expect((await s.api('GET', `/topics/${topic.id}`, { token: watcher.token })).body.watching).toBe(false);
    expect((await s.api('GET', `/topics/${topic.id}`)).body.watching).toBeUndefined();

    // Not watching yet: a reply tells the watcher nothing (and warms this node's watcher cache).
    const before = receivedWithin(tab, 'notification:new', 500);
    await reply(replier.token, topic.id, 'Before the watch');
    expect(await before).toBe(false);

    expect((await s.api('PUT', `/topics/${topic.id}/watch`, { token: watcher.token })).body).toEqual({ topicId: topic.id, watching: true });
    expect((await s.api('PUT', `/topics/${topic.id}/watch`, { token: watcher.token })).body).toEqual({ topicId: topic.id, watching: true });
    expect((await s.api('GET', `/topics/${topic.id}`, { token: watcher.token })).body.watching).toBe(true);
    const told = collect(tab, 'notification:new', 1);
    const first = await reply(replier.token, topic.id, 'After the watch');
    expect((await told)[0].notification).toMatchObject({ kind: 'reply', postId: first.body.post.id, topicTitle: 'Hello world' });
    const quiet = receivedWithin(tab, 'notification:new', 500);
    await reply(replier.token, topic.id, 'Another one while unread');
    expect(await quiet).toBe(false);
    // Their own reply tells no one of it.
    await s.api('POST', '/notifications/read', { token: watcher.token, body: {} });
    const own = receivedWithin(tab, 'notification:new', 500);
    await reply(watcher.token, topic.id, 'My own reply');
    expect(await own).toBe(false);

    expect((await s.api('DELETE', `/topics/${topic.id}/watch`, { token: watcher.token })).body).toEqual({ topicId: topic.id, watching: false });
    const after = receivedWithin(tab, 'notification:new', 500);
    await reply(replier.token, topic.id, 'After unwatching');
    expect(await after).toBe(false);

    expect((await s.api('PUT', `/topics/${topic.id}/watch`)).status).toBe(401);
    expect((await s.api('PUT', '/topics/nope/watch', { token: watcher.token })).status).toBe(400);
    expect((await s.api('PUT', `/topics/${topic.id}/watch`, { token: watcher.token, body: { level: 'all' } })).status).toBe(400);
    expect((await s.api('PUT', '/topics/0123456789abcdef01234567/watch', { token: watcher.token })).status).toBe(404);
    await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    expect((await s.api('PUT', `/topics/${topic.id}/watch`, { token: watcher.token })).status).toBe(403);
    expect(await s.models.Watch.countDocuments({ userId: watcher.id })).toBe(0);
  });

  it('a member watching a forum is told of each new topic in it (not replies); unwatching stops it', async () => {
    const { admin, forum, topic } = await seedForum(s);
    const watcher = await s.user('forum_watcher');
    const starter = await s.user('topic_starter');
    const tab = await s.socket(watcher.token);
    expect((await s.api('GET', `/forums/${forum.id}/topics`, { token: watcher.token })).body.watching).toBe(false);
    expect((await s.api('GET', `/forums/${forum.id}/topics`)).body.watching).toBeUndefined();
    expect((await s.api('PUT', `/forums/${forum.id}/watch`, { token: watcher.token })).body).toEqual({ forumId: forum.id, watching: true });
    expect((await s.api('GET', `/forums/${forum.id}/topics`, { token: watcher.token })).body.watching).toBe(true);

    const told = collect(tab, 'notification:new', 1);
    const made = await s.api('POST', `/forums/${forum.id}/topics`, { token: starter.token, body: { title: 'Fresh topic', body: 'Hello all' } });
    expect((await told)[0].notification).toMatchObject({ kind: 'topic', actor: { username: 'topic_starter' }, topicId: made.body.topic.id, topicTitle: 'Fresh topic', postNumber: 1 });
    // A reply in the forum is not a new topic.
    const quiet = receivedWithin(tab, 'notification:new', 500);
    await reply(starter.token, topic.id, 'Just a reply');
    expect(await quiet).toBe(false);
    // Their own new topic tells them nothing.
    const own = receivedWithin(tab, 'notification:new', 500);
    await s.api('POST', `/forums/${forum.id}/topics`, { token: watcher.token, body: { title: 'Mine', body: 'by me' } });
    expect(await own).toBe(false);

    expect((await s.api('DELETE', `/forums/${forum.id}/watch`, { token: watcher.token })).body).toEqual({ forumId: forum.id, watching: false });
    const after = receivedWithin(tab, 'notification:new', 500);
    await s.api('POST', `/forums/${forum.id}/topics`, { token: starter.token, body: { title: 'Another', body: 'again' } });
    expect(await after).toBe(false);

    expect((await s.api('PUT', `/forums/${forum.id}/watch`)).status).toBe(401);
    expect((await s.api('PUT', '/forums/0123456789abcdef01234567/watch', { token: watcher.token })).status).toBe(404);
    await s.api('PATCH', `/forums/${forum.id}`, { token: admin.token, body: { permissions: { read: ['moderator', 'admin'] } } });
    expect((await s.api('PUT', `/forums/${forum.id}/watch`, { token: watcher.token })).status).toBe(403);
    expect(await s.models.Watch.countDocuments({ userId: watcher.id })).toBe(0);
  });

  it('pages newest first', async () => {
    const { topic } = await seedForum(s);
    const popular = await s.user('popular_one');
    const fans = await Promise.all(Array.from({ length: 3 }, (_, i) => s.user(`page_fan_${i}`)));
    for (let i = 0; i < 27; i++) await reply(fans[i % 3].token, topic.id, `@popular_one number ${i}`);
    const first = await until(popular.token, 27, { unread: true });
    expect(first).toMatchObject({ unreadCount: 27, page: 1, pageCount: 2 });
    const second = await notificationsOf(popular.token, 2);
    expect(second.notifications).toHaveLength(2);
    const times = [...first.notifications, ...second.notifications].map((n: { createdAt: string }) => n.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await notificationsOf(popular.token, 99)).page).toBe(2);
  });
});
