// phpBB's friends: a member keeps a list of friends (GET /users/me names them), never someone
// they ignore (and never ignores a friend); bad input and guests change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { LIMITS } from '../shared/limits.js';
import { createRest } from '../client/sdk/rest.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s?.close());

const me = async (token: string) => (await s.api('GET', '/users/me', { token })).body as { friends: Array<{ id: string; username: string }>; ignoring: Array<{ id: string }> };

describe('friends', () => {
  it('adds and removes friends, named in /users/me in name order; a friend twice is one', async () => {
    const [ann, zed, bob] = [await s.user('fr_ann'), await s.user('fr_zed'), await s.user('fr_bob')];
    expect((await me(ann.token)).friends).toEqual([]);
    expect((await s.api('PUT', `/users/${zed.id}/friend`, { token: ann.token })).body).toEqual({ userId: zed.id, friend: true });
    expect((await s.api('PUT', `/users/${bob.id}/friend`, { token: ann.token })).status).toBe(200);
    expect((await s.api('PUT', `/users/${bob.id}/friend`, { token: ann.token })).status).toBe(200);
    expect((await me(ann.token)).friends).toEqual([{ id: bob.id, username: 'fr_bob' }, { id: zed.id, username: 'fr_zed' }]);
    expect((await s.api('DELETE', `/users/${zed.id}/friend`, { token: ann.token })).body).toEqual({ userId: zed.id, friend: false });
    expect((await me(ann.token)).friends.map((f) => f.id)).toEqual([bob.id]);
    expect((await me(bob.token)).friends).toEqual([]); // one-sided, as phpBB's
    const rest = createRest(s.url, ann.token);
    expect(await rest.befriend(zed.id)).toEqual({ userId: zed.id, friend: true });
    expect(await rest.unfriend(zed.id)).toEqual({ userId: zed.id, friend: false });
  });

  it('is never a foe at once, and refuses bad input; nothing changes', async () => {
    const [ann, foe, pal] = [await s.user('fr_ann2'), await s.user('fr_foe'), await s.user('fr_pal')];
    expect((await s.api('PUT', `/users/${foe.id}/ignore`, { token: ann.token })).status).toBe(200);
    expect((await s.api('PUT', `/users/${pal.id}/friend`, { token: ann.token })).status).toBe(200);
    const befriendFoe = await s.api('PUT', `/users/${foe.id}/friend`, { token: ann.token });
    expect([befriendFoe.status, befriendFoe.body.error?.code]).toEqual([409, 'CONFLICT']);
    const ignorePal = await s.api('PUT', `/users/${pal.id}/ignore`, { token: ann.token });
    expect([ignorePal.status, ignorePal.body.error?.code]).toEqual([409, 'CONFLICT']);
    expect((await s.api('PUT', `/users/${ann.id}/friend`, { token: ann.token })).status).toBe(400);
    expect((await s.api('PUT', `/users/${'f'.repeat(24)}/friend`, { token: ann.token })).status).toBe(404);
    expect((await s.api('PUT', '/users/nope/friend', { token: ann.token })).status).toBe(400);
    expect((await s.api('PUT', `/users/${pal.id}/friend`)).status).toBe(401);
    const now = await me(ann.token);
    expect([now.friends.map((f) => f.id), now.ignoring.map((f) => f.id)]).toEqual([[pal.id], [foe.id]]);
  });

  it('keeps at most LIMITS.friendsMax friends', async () => {
    const ann = await s.user('fr_many');
    const ids = Array.from({ length: LIMITS.friendsMax }, (_, i) => (i + 1).toString(16).padStart(24, '0'));
    await s.models.User.updateOne({ _id: ann.id }, { $set: { friends: ids } });
    const other = await s.user('fr_one_more');
    const refused = await s.api('PUT', `/users/${other.id}/friend`, { token: ann.token });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'CONFLICT']);
  });
});
