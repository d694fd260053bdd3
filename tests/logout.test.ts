// POST /auth/logout ends one login on the server, as phpBB's and Discourse's logout end the
// session: its token is refused (REST and socket handshake), the sockets it opened are dropped,
// the member's other logins go on, and who-is-online forgets the member's requests at once. Bad
// input changes nothing. A real server on port 0, real sockets, the real database.
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { seededServer, type TestSocket } from './helpers/server.js';
import { LOGGED_OUT_MAX } from '../server/services/auth.service.js';
import { png } from './helpers/files.js';
import { createRest } from '../client/sdk/index.js';
import { sleep } from './helpers/watch.js';

const board = seededServer();

let n = 0;
/** A member and a first login's token. */
const member = () => board.s.user(`leaver_${++n}`);
/** Another login of the same member (as POST /auth/login makes it). */
const anotherLogin = (who: { id: string }) => board.s.app.services.tokens.issue({ id: who.id, tokenVersion: 0 });
const me = (token: string) => board.s.api('GET', '/users/me', { token });
const logout = (token?: string, body?: unknown) => board.s.api('POST', '/auth/logout', { token, body });
/** Resolves true once the socket is dropped by the server, false if it is still up after `ms`. */
const dropped = (socket: TestSocket, ms = 3_000) =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('disconnect', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe('POST /auth/logout', () => {
  it("ends this login alone: its token is refused and its sockets dropped, the member's other login goes on", async () => {
    const alice = await member();
    const phone = anotherLogin(alice);
    const [laptopSocket, phoneSocket] = await Promise.all([board.s.socket(alice.token), board.s.socket(phone)]);
    const laptopDropped = dropped(laptopSocket);
    const phoneDropped = dropped(phoneSocket, 1_500);

    expect(await logout(alice.token)).toEqual({ status: 200, body: { loggedOut: true } });
    expect(await laptopDropped).toBe(true);
    const refused = await me(alice.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'Logged out' });
    await expect(board.s.socket(alice.token)).rejects.toThrow('UNAUTHORIZED');
    // Logging out again with it: refused the same way.
    expect((await logout(alice.token)).status).toBe(401);

    expect(await phoneDropped).toBe(false);
    expect(phoneSocket.connected).toBe(true);
    expect((await me(phone)).body.user.username).toBe(alice.username);
    await board.s.socket(phone);
  });

  it('forgets the member in who-is-online at once; the request itself is the guest the browser now is', async () => {
    const bob = await member();
    const browse = (token?: string) => board.s.api('GET', '/forums', { token, headers: { 'user-agent': 'Browser/1', 'x-session-id': 'bob-browser-0001' } });
    const named = async () => ((await board.s.api('GET', '/online')).body.registered as Array<{ username: string }>).map((u) => u.username);
    expect((await browse(bob.token)).status).toBe(200);
    expect(await named()).toContain(bob.username);

    const before = (await board.s.api('GET', '/online')).body.guestCount as number;
    expect((await board.s.api('POST', '/auth/logout', { token: bob.token, headers: { 'user-agent': 'Browser/1', 'x-session-id': 'bob-browser-0001' } })).status).toBe(200);
    // Well inside ONLINE_WINDOW_MS (five minutes): only the logout can have removed him.
    await expect.poll(named, { timeout: 2_000 }).not.toContain(bob.username);
    expect((await board.s.api('GET', '/online')).body.guestCount).toBe(before + 1);
  });

  it('does not count the member again for a request of the ended login that was checked before the logout and ends after it', async () => {
    const frank = await member();
    const session = { 'user-agent': 'Browser/1', 'x-session-id': 'frank-browser-01' };
    const named = async () => ((await board.s.api('GET', '/online')).body.registered as Array<{ username: string }>).map((u) => u.username);
    // An upload whose body is still coming: its token was checked when its headers arrived.
    let finish!: () => void;
    const boundary = 'logout-race-boundary';
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dot.png"\r\nContent-Type: image/png\r\n\r\n`));
        controller.enqueue(png());
        finish = () => {
          controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
          controller.close();
        };
      },
    });
    const upload = fetch(`${board.s.url}/api/v1/attachments`, {
      method: 'POST',
      headers: { ...session, authorization: `Bearer ${frank.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect((await board.s.api('GET', '/forums', { token: frank.token, headers: session })).status).toBe(200);
    await sleep(300);
    expect(await named()).toContain(frank.username);

    expect((await board.s.api('POST', '/auth/logout', { token: frank.token, headers: session })).status).toBe(200);
    expect(await named()).not.toContain(frank.username);
    finish();
    expect((await upload).status).toBe(201); // checked before the logout: it went through
    await sleep(100); // its activity is recorded once it has been answered
    expect(await named()).not.toContain(frank.username);
  });

  it('revokes every token of a member whose token has no login id (issued before logins had one), or who logged out too often', async () => {
    const carol = await member();
    const other = anotherLogin(carol);
    const otherSocket = await board.s.socket(other);
    const otherDropped = dropped(otherSocket);
    const old = jwt.sign({ ver: 0, typ: 'user' }, board.s.config.jwtSecret, { algorithm: 'HS256', subject: carol.id, expiresIn: '1h' });
    expect((await me(old)).status).toBe(200);
    expect((await logout(old)).status).toBe(200);
    expect(await otherDropped).toBe(true);
    for (const token of [old, other, carol.token]) expect((await me(token)).body.error?.message).toBe('Token revoked');

    // Past LOGGED_OUT_MAX logins kept as ended, the next logout revokes every token instead.
    const dave = await member();
    for (let i = 0; i < LOGGED_OUT_MAX; i++) expect((await logout(anotherLogin(dave))).status).toBe(200);
    expect((await me(dave.token)).status).toBe(200);
    expect((await board.s.models.User.findById(dave.id, { loggedOut: 1 }).lean())!.loggedOut).toHaveLength(LOGGED_OUT_MAX);
    expect((await logout(anotherLogin(dave))).status).toBe(200);
    expect((await me(dave.token)).body.error?.message).toBe('Token revoked');
    const after = (await board.s.models.User.findById(dave.id, { loggedOut: 1, tokenVersion: 1 }).lean())!;
    expect(after).toMatchObject({ loggedOut: [], tokenVersion: 1 });
  });

  it("the SDK's rest.logout() ends the login and forgets the token", async () => {
    const gail = await member();
    const rest = createRest(board.s.url, gail.token);
    expect((await rest.get<{ user: { username: string } }>('/users/me')).user.username).toBe(gail.username);
    expect(await rest.logout()).toEqual({ loggedOut: true });
    expect((await me(gail.token)).body.error.message).toBe('Logged out');
    // The same client is a guest now: asked as no one, not refused as a logged-out token.
    await expect(rest.get('/users/me')).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'Log in to do that' });
  });

  it('refuses guests, API tokens and a body with fields, and changes nothing', async () => {
    const erin = await member();
    expect((await logout()).body.error.code).toBe('UNAUTHORIZED');
    expect((await logout(erin.token, { everywhere: true })).body.error.code).toBe('BAD_REQUEST');
    expect((await logout(erin.token, [])).body.error.code).toBe('BAD_REQUEST');

    const bot = (await board.s.api('POST', '/bots', { token: board.ctx.admin.token, body: { username: 'logout_bot' } })).body.bot;
    const granted = (await board.s.api('POST', `/bots/${bot.id}/tokens`, { token: board.ctx.admin.token, body: { scopes: ['read'] } })).body;
    const botAnswer = await logout(granted.token);
    expect(botAnswer.status).toBe(403);
    expect(botAnswer.body.error.code).toBe('FORBIDDEN');
    expect((await board.s.api('GET', '/forums', { token: granted.token })).status).toBe(200);

    expect((await me(erin.token)).status).toBe(200);
    expect((await board.s.models.User.findById(erin.id, { loggedOut: 1, tokenVersion: 1 }).lean())!).toMatchObject({ loggedOut: [], tokenVersion: 0 });
  });
});
