import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, ack, collect, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ rankLadder: [{ min: 0, title: 'Newbie' }, { min: 3, title: 'Regular' }] });
});
afterAll(() => s?.close());

const card = async (id: string) => (await s.api('GET', `/users/${id}`)).body.user;
const stored = async (id: string) => {
  const { _id, passwordHash, ...rest } = await s.models.User.findById(id).lean().orFail();
  return rest;
};

describe('editing one’s own profile', () => {
  it('sets location, signature (rendered), avatar, fields and hidden; the card and embedded author show them', async () => {
    const { member, topic } = await seedForum(s);
    const r = await s.api('PATCH', '/users/me', {
      token: member.token,
      body: {
        location: '  Lyon, France ',
        signature: '[b]Bold[/b] and <script>alert(1)</script>',
        avatarUrl: 'https://example.com/me.png',
        fields: { Nationality: 'French', 'Favourite team': 'OL', Empty: '' },
        hidden: true,
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({
      id: member.id,
      location: 'Lyon, France',
      signature: '[b]Bold[/b] and <script>alert(1)</script>',
      signatureHtml: '<strong>Bold</strong> and &lt;script&gt;alert(1)&lt;/script&gt;',
      avatarUrl: 'https://example.com/me.png',
      fields: { Nationality: 'French', 'Favourite team': 'OL' },
    });
    expect(r.body.hidden).toBe(true);
    expect(await card(member.id)).toEqual(r.body.user);
    // The member's own view carries their settings beside the card; the public card does not.
    expect((await s.api('GET', '/users/me', { token: member.token })).body).toEqual({ user: r.body.user, hidden: true, ignoring: [], friends: [] });
    expect(await card(member.id)).not.toHaveProperty('hidden');
    expect((await s.models.User.findById(member.id).lean().orFail()).hidden).toBe(true);
    const page = await s.api('GET', `/topics/${topic.id}`);
    expect(page.body.posts[0].author).toMatchObject({ location: 'Lyon, France', fields: { Nationality: 'French' } });
  });

  it('leaves omitted keys alone, clears with null or blank, replaces fields as a whole', async () => {
    const u = await s.user('partial_editor');
    await s.api('PATCH', '/users/me', { token: u.token, body: { location: 'Here', signature: 'sig', avatarUrl: 'http://a.example/x.png', fields: { A: '1', B: '2' } } });
    const r1 = await s.api('PATCH', '/users/me', { token: u.token, body: { location: 'There' } });
    expect(r1.body.user).toMatchObject({ location: 'There', signature: 'sig', avatarUrl: 'http://a.example/x.png', fields: { A: '1', B: '2' } });
    const r2 = await s.api('PATCH', '/users/me', { token: u.token, body: { signature: null, avatarUrl: '', location: '   ', fields: { C: '3' } } });
    expect(r2.status).toBe(200);
    expect(r2.body.user.fields).toEqual({ C: '3' });
    for (const key of ['signature', 'signatureHtml', 'avatarUrl', 'location']) expect(r2.body.user).not.toHaveProperty(key);
    const r3 = await s.api('PATCH', '/users/me', { token: u.token, body: { fields: {} } });
    expect(r3.body.user).not.toHaveProperty('fields');
    await s.api('PATCH', '/users/me', { token: u.token, body: { fields: { D: '4' }, hidden: true } });
    const cleared = await s.api('PATCH', '/users/me', { token: u.token, body: { fields: null, hidden: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.user).not.toHaveProperty('fields');
    expect(cleared.body.hidden).toBe(false);
    expect((await s.api('GET', '/users/me', { token: u.token })).body.hidden).toBe(false);
    expect((await s.models.User.findById(u.id).lean())!.hidden).toBe(false);
    expect((await s.api('PATCH', '/users/me', { token: u.token, body: {} })).body.user).toEqual(r3.body.user);
  });

  it('refuses bad input with BAD_REQUEST and changes nothing', async () => {
    const u = await s.user('strict_editor');
    await s.api('PATCH', '/users/me', { token: u.token, body: { location: 'Kept', fields: { Kept: 'yes' } } });
    const before = await stored(u.id);
    const tooManyFields = Object.fromEntries(Array.from({ length: LIMITS.fieldsMax + 1 }, (_, i) => [`f${i}`, 'v']));
    const bad: unknown[] = [
      { signature: 'x'.repeat(LIMITS.signatureMax + 1) },
      { location: 'x'.repeat(LIMITS.locationMax + 1) },
      { avatarUrl: 'javascript:alert(1)' },
      { avatarUrl: 'ftp://example.com/a.png' },
      { avatarUrl: 'not a url' },
      { avatarUrl: `https://example.com/${'a'.repeat(LIMITS.avatarUrlMax)}` },
      { fields: tooManyFields },
      { fields: { ['k'.repeat(LIMITS.fieldKeyMax + 1)]: 'v' } },
      { fields: { ok: 'v'.repeat(LIMITS.fieldValueMax + 1) } },
      { fields: { 'a.b': 'v' } },
      { fields: { $set: 'v' } },
      { fields: { __proto__x: 'v' } },
      { fields: { ' padded': 'v' } },
      { fields: { ok: 5 } },
      { fields: ['a', 'b'] },
      { location: { $gt: '' } },
      { signature: { $set: { role: 'admin' } } },
      { hidden: 'yes' },
      { postCount: 9999 },
      { role: 'admin' },
      { thanksReceived: 1 },
      null,
      'location=x',
    ];
    for (const body of bad) {
      const r = await s.api('PATCH', '/users/me', { token: u.token, body });
      expect([JSON.stringify(body)?.slice(0, 60), r.status, r.body.error?.code]).toEqual([JSON.stringify(body)?.slice(0, 60), 400, 'BAD_REQUEST']);
    }
    const proto = await s.api('PATCH', '/users/me', { token: u.token, raw: '{"fields":{"__proto__":"x"}}' });
    expect(proto.status).toBe(400);
    expect(await stored(u.id)).toEqual(before);
    expect((await s.api('PATCH', '/users/me', { body: { location: 'guest' } })).status).toBe(401);
    expect((await s.api('GET', '/users/me')).status).toBe(401);
  });

  it('accepts the limits exactly', async () => {
    const u = await s.user('limit_editor');
    const fields = Object.fromEntries(Array.from({ length: LIMITS.fieldsMax }, (_, i) => [`${'k'.repeat(LIMITS.fieldKeyMax - 2)}${String(i).padStart(2, '0')}`, 'v'.repeat(LIMITS.fieldValueMax)]));
    const r = await s.api('PATCH', '/users/me', { token: u.token, body: { signature: 's'.repeat(LIMITS.signatureMax), location: 'l'.repeat(LIMITS.locationMax), fields } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.user.fields)).toHaveLength(LIMITS.fieldsMax);
  });
});

describe('admin ranks and groups', () => {
  it('sets and clears a special rank, sets groups; members cannot; bad ids and bodies are refused', async () => {
    const { admin, member } = await seedForum(s);
    const other = await s.user('rank_other');
    const rank = await s.api('PATCH', `/users/${member.id}/rank`, { token: admin.token, body: { specialRank: 'Site Friend' } });
    expect(rank.status).toBe(200);
    expect(rank.body.user).toMatchObject({ id: member.id, rank: 'Site Friend' });
    const groups = await s.api('PATCH', `/users/${member.id}/groups`, { token: admin.token, body: { groups: ['Helpers', 'Friends', 'Helpers'] } });
    expect(groups.body.user.groups).toEqual(['Helpers', 'Friends']);
    expect(await card(member.id)).toMatchObject({ rank: 'Site Friend', groups: ['Helpers', 'Friends'] });
    const cleared = await s.api('PATCH', `/users/${member.id}/rank`, { token: admin.token, body: { specialRank: null } });
    expect(cleared.body.user.rank).toBe('Newbie');

    const before = await stored(member.id);
    const refused: Array<[string, string, string | undefined, unknown, number, string]> = [
      ['rank', member.id, other.token, { specialRank: 'Boss' }, 403, 'FORBIDDEN'],
      ['rank', member.id, member.token, { specialRank: 'Boss' }, 403, 'FORBIDDEN'],
      ['rank', member.id, undefined, { specialRank: 'Boss' }, 401, 'UNAUTHORIZED'],
      ['groups', member.id, other.token, { groups: ['Admins'] }, 403, 'FORBIDDEN'],
      ['rank', 'a'.repeat(24), admin.token, { specialRank: 'Boss' }, 404, 'NOT_FOUND'],
      ['groups', 'a'.repeat(24), admin.token, { groups: [] }, 404, 'NOT_FOUND'],
      ['rank', 'nope', admin.token, { specialRank: 'Boss' }, 400, 'BAD_REQUEST'],
      ['rank', member.id, admin.token, { specialRank: '' }, 400, 'BAD_REQUEST'],
      ['rank', member.id, admin.token, { specialRank: 'x'.repeat(LIMITS.rankTitleMax + 1) }, 400, 'BAD_REQUEST'],
      ['rank', member.id, admin.token, { specialRank: { $set: 'x' } }, 400, 'BAD_REQUEST'],
      ['rank', member.id, admin.token, {}, 400, 'BAD_REQUEST'],
      ['groups', member.id, admin.token, { groups: 'Admins' }, 400, 'BAD_REQUEST'],
      ['groups', member.id, admin.token, { groups: ['a$b'] }, 400, 'BAD_REQUEST'],
      ['groups', member.id, admin.token, { groups: Array.from({ length: LIMITS.groupsMax + 1 }, (_, i) => `g${i}`) }, 400, 'BAD_REQUEST'],
      ['groups', member.id, admin.token, { groups: [{ $gt: '' }] }, 400, 'BAD_REQUEST'],
    ];
    for (const [what, id, token, body, status, code] of refused) {
      const r = await s.api('PATCH', `/users/${id}/${what}`, { token, body });
      expect([what, JSON.stringify(body).slice(0, 40), r.status, r.body.error?.code]).toEqual([what, JSON.stringify(body).slice(0, 40), status, code]);
    }
    expect(await stored(member.id)).toEqual(before);
  });
});

describe('post counts and ranks change live', () => {
  it('the post that crosses a rank threshold carries the new rank in post:created', async () => {
    const { admin, member, topic } = await seedForum(s); // the topic's first post: postCount 1
    const watcher = await s.socket();
    await ack(watcher, 'topic:subscribe', { topicId: topic.id });
    const author = await s.socket(member.token);

    const two = collect(watcher, 'post:created', 2);
    const second = await ack(author, 'post:create', { topicId: topic.id, body: 'second', clientId: 'r2' });
    await ack(author, 'post:create', { topicId: topic.id, body: 'third', clientId: 'r3' });
    expect((await two).map((e) => [e.post.author.postCount, e.post.author.rank])).toEqual([[2, 'Newbie'], [3, 'Regular']]);
    expect(await card(member.id)).toMatchObject({ postCount: 3, rank: 'Regular' });

    // A special rank wins over the ladder, on the very next post.
    await s.api('PATCH', `/users/${member.id}/rank`, { token: admin.token, body: { specialRank: 'Chatterbox' } });
    const fourth = collect(watcher, 'post:created', 1);
    await ack(author, 'post:create', { topicId: topic.id, body: 'fourth', clientId: 'r4' });
    expect((await fourth)[0].post.author).toMatchObject({ postCount: 4, rank: 'Chatterbox' });

    // Deleted posts stop counting: back below the threshold, back to the first title.
    await s.api('PATCH', `/users/${member.id}/rank`, { token: admin.token, body: { specialRank: null } });
    await s.api('DELETE', `/posts/${second.data.post.id}`, { token: member.token });
    expect(await card(member.id)).toMatchObject({ postCount: 3, rank: 'Regular' });
    const last = (await s.api('GET', `/topics/${topic.id}`)).body.posts.at(-1);
    await s.api('DELETE', `/posts/${last.id}`, { token: member.token });
    expect(await card(member.id)).toMatchObject({ postCount: 2, rank: 'Newbie' });
    expect((await s.app.services.recount.run()).corrections).toEqual([]);
  });
});

describe('name suggestions (GET /users?prefix=)', () => {
  it('answers signed-in members up to 8 names starting so, in order, any case; regex characters are literal', async () => {
    const asker = await s.user('sugg_asker');
    for (const name of ['zeta_one', 'Zeta Two', 'zeta.three', 'zetb']) await s.user(name);
    const names = async (prefix: string) => (await s.api('GET', `/users?prefix=${encodeURIComponent(prefix)}`, { token: asker.token })).body.users.map((u: { username: string }) => u.username);
    expect(await names('ZET')).toEqual(['Zeta Two', 'zeta.three', 'zeta_one', 'zetb']); // by lower-case name, code point order
    expect(await names('zeta.')).toEqual(['zeta.three']);
    expect(await names('zeta_')).toEqual(['zeta_one']);
    expect(await names('.*')).toEqual([]);
    for (let i = 0; i < 10; i++) await s.user(`zq_many_${i}`);
    expect(await names('zq_')).toHaveLength(8);
    expect((await s.api('GET', '/users?prefix=zeta')).status).toBe(401);
    expect((await s.api('GET', '/users?prefix=', { token: asker.token })).status).toBe(400);
    expect((await s.api('GET', '/users', { token: asker.token })).status).toBe(400);
    expect((await s.api('GET', `/users?prefix=${'x'.repeat(40)}`, { token: asker.token })).status).toBe(400);
  });
});
