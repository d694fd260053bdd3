import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../server/config.js';
import { startTestServer, type TestServer, type TestSocket } from './helpers/server.js';
import { watch, sleep, openSocket } from './helpers/watch.js';
import type { OnlineSnapshot } from '../shared/schemas.js';

const BING = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';
const MJ12 = 'Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)';

let servers: TestServer[] = [];
let opened: TestSocket[] = [];
/** A guest socket watching presence:online from its very first push. */
async function onlineWatcher(s: TestServer, sessionId: string) {
  const { socket, connected } = openSocket(s.url, { sessionId });
  opened.push(socket);
  const events = watch<OnlineSnapshot>(socket, 'presence:online');
  await connected;
  return events;
}
async function server(overrides: Partial<Config> = {}) {
  const s = await startTestServer(overrides);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const sock of opened) sock.disconnect();
  opened = [];
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const online = async (s: TestServer, opts: { token?: string; ua?: string } = {}): Promise<OnlineSnapshot> => {
  const r = await s.api('GET', '/online', { token: opts.token, headers: { 'user-agent': opts.ua ?? 'OnlineChecker/1.0' } });
  expect(r.status).toBe(200);
  return r.body;
};
const card = (u: { id: string; username: string }, role = 'member') => ({ id: u.id, username: u.username, role });

describe('GET /online', () => {
  it('shows a Bingbot request as "Bing [Bot]", never as a guest', async () => {
    const s = await server();
    expect((await s.api('GET', '/forums', { headers: { 'user-agent': BING } })).status).toBe(200);
    await s.api('GET', '/forums', { headers: { 'user-agent': BING } });
    await s.api('GET', '/forums', { headers: { 'user-agent': MJ12 } });
    // The asker (a guest) counts too, in its own answer.
    expect(await online(s)).toEqual({
      total: 3,
      registered: [],
      registeredCount: 0,
      hiddenCount: 0,
      guestCount: 1,
      bots: [{ name: 'Bing [Bot]' }, { name: 'Majestic-12 [Bot]' }],
    });
  });

  it('counts HTTP guests by IP and User-Agent, and merges a guest session over socket and HTTP', async () => {
    const s = await server();
    await s.api('GET', '/forums', { headers: { 'user-agent': 'BrowserA/1' } });
    await s.api('GET', '/forums', { headers: { 'user-agent': 'BrowserA/1' } });
    await s.api('GET', '/forums', { headers: { 'user-agent': 'BrowserB/1' } });
    expect((await online(s, { ua: 'BrowserA/1' })).guestCount).toBe(2);
    await s.socket(undefined, { auth: { sessionId: 'merged-session-1' } });
    await s.api('GET', '/forums', { headers: { 'user-agent': 'BrowserC/1', 'x-session-id': 'merged-session-1' } });
    expect(await online(s, { ua: 'BrowserA/1' })).toMatchObject({ total: 3, guestCount: 3, registered: [] });
  });

  it('counts a guest session that signs in as the member at once, not as a guest for the rest of the online window', async () => {
    const s = await server(); // ONLINE_WINDOW_MS: five minutes
    const alice = await s.user('alice');
    const bob = await s.user('bob');
    const browse = (sessionId: string, token?: string) => s.api('GET', '/forums', { token, headers: { 'user-agent': 'Browser/1', 'x-session-id': sessionId } });
    await browse('alice-browser-1');
    await browse('other-browser-2');
    const watcher = await onlineWatcher(s, 'sign-in-watch-3');
    await watcher.until((e) => e.guestCount === 3);
    expect(await online(s, { token: bob.token })).toMatchObject({ guestCount: 3, registered: [card(bob)] });

    // Alice logs in in that browser: her next request carries her token and the same session.
    expect((await browse('alice-browser-1', alice.token)).status).toBe(200);
    const after = await watcher.until((e) => e.registeredCount === 2, 3_000);
    expect(after).toMatchObject({ guestCount: 2, registered: [card(alice), card(bob)] });
    expect(await online(s, { token: bob.token })).toMatchObject({ total: 4, guestCount: 2 });

    // A member's session that never browsed as a guest changes no one else.
    await browse('bob-browser-4', bob.token);
    expect(await online(s, { token: bob.token })).toMatchObject({ total: 4, guestCount: 2 });
  });

  it('names members once (socket and HTTP), counts hidden ones, and lists them only to moderators', async () => {
    const s = await server();
    const ann = await s.user('ann');
    const shy = await s.user('shy');
    const mod = await s.user('mod', 'moderator');
    await s.models.User.updateOne({ _id: shy.id }, { $set: { hidden: true } });
    await s.socket(ann.token);
    await s.socket(ann.token);
    await s.api('GET', '/forums', { token: ann.token });
    await s.api('GET', '/forums', { token: shy.token });
    await s.socket(shy.token);

    const asGuest = await online(s);
    expect(asGuest).toEqual({ total: 3, registered: [card(ann)], registeredCount: 1, hiddenCount: 1, guestCount: 1, bots: [] });

    const asAnn = await online(s, { token: ann.token });
    expect(asAnn).toEqual({ total: 3, registered: [card(ann)], registeredCount: 1, hiddenCount: 1, guestCount: 1, bots: [] });

    const asMod = await online(s, { token: mod.token });
    expect(asMod).toEqual({
      total: 4,
      registered: [card(ann), card(mod, 'moderator'), { ...card(shy), hidden: true }],
      registeredCount: 3,
      hiddenCount: 1,
      guestCount: 1,
      bots: [],
    });
  });

  it('shows bot accounts and crawler sockets as bots, not as registered users or guests', async () => {
    const s = await server();
    const feeder = await s.user('RSSFeeder', 'bot');
    await s.socket(feeder.token);
    const { socket: crawler, connected } = openSocket(s.url, { userAgent: 'Mozilla/5.0 (compatible; YandexBot/3.0)' });
    try {
      await connected;
      // A crawler hitting both socket and HTTP is still one bot.
      await s.api('GET', '/forums', { headers: { 'user-agent': 'Mozilla/5.0 (compatible; YandexBot/3.0)' } });
      expect(await online(s, { token: feeder.token })).toEqual({
        total: 2,
        registered: [],
        registeredCount: 0,
        hiddenCount: 0,
        guestCount: 0,
        bots: [{ name: 'RSSFeeder [Bot]' }, { name: 'Yandex [Bot]' }],
      });
    } finally {
      crawler.disconnect();
    }
  });

  it('uses the CRAWLERS list from config instead of the default one', async () => {
    const cfg = loadConfig({ NODE_ENV: 'test', CRAWLERS: JSON.stringify([{ pattern: 'ForumSpider', name: 'Forum Spider' }]) });
    expect(cfg.crawlers).toEqual([{ pattern: 'ForumSpider', name: 'Forum Spider' }]);
    expect(() => loadConfig({ NODE_ENV: 'test', CRAWLERS: '{not json' })).toThrow(/CRAWLERS/);
    expect(() => loadConfig({ NODE_ENV: 'test', CRAWLERS: '[{"pattern":"x"}]' })).toThrow(/CRAWLERS/);
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ onlineWindowMs: 300_000, presenceGraceMs: 2_000, presenceListLimit: 100 });
    expect(loadConfig({ NODE_ENV: 'test', PRESENCE_LIST_LIMIT: '7' }).presenceListLimit).toBe(7);
    expect(() => loadConfig({ NODE_ENV: 'test', PRESENCE_LIST_LIMIT: '-1' })).toThrow(/PRESENCE_LIST_LIMIT/);
    expect(() => loadConfig({ NODE_ENV: 'test', PRESENCE_LIST_LIMIT: 'lots' })).toThrow(/PRESENCE_LIST_LIMIT/);

    const s = await server({ crawlers: cfg.crawlers });
    await s.api('GET', '/forums', { headers: { 'user-agent': 'ForumSpider/0.1' } });
    await s.api('GET', '/forums', { headers: { 'user-agent': BING } });
    expect(await online(s, { ua: BING })).toEqual({ total: 2, registered: [], registeredCount: 0, hiddenCount: 0, guestCount: 1, bots: [{ name: 'Forum Spider [Bot]' }] });
  });
});

describe('presence:online', () => {
  it('pushes the snapshot to every socket as people come and go', async () => {
    const s = await server({ presenceGraceMs: 200 });
    const events = await onlineWatcher(s, 'pusher-guest-1');
    await events.until((e) => e.guestCount === 1 && e.total === 1);

    const zed = await s.user('zed');
    const z = await s.socket(zed.token);
    const withZed = await events.until((e) => e.registered.some((u) => u.id === zed.id));
    expect(withZed).toEqual({ total: 2, registered: [card(zed)], registeredCount: 1, hiddenCount: 0, guestCount: 1, bots: [] });

    await s.api('GET', '/forums', { headers: { 'user-agent': BING } });
    await events.until((e) => e.bots.some((b) => b.name === 'Bing [Bot]'));

    z.disconnect();
    const without = await events.until((e) => !e.registered.some((u) => u.id === zed.id), 3_000);
    expect(without).toEqual({ total: 2, registered: [], registeredCount: 0, hiddenCount: 0, guestCount: 1, bots: [{ name: 'Bing [Bot]' }] });
  });

  it('sends at most one presence:online per second, the last one with the final state', async () => {
    const s = await server({ presenceGraceMs: 0 });
    const events = await onlineWatcher(s, 'rate-watch-guest');
    await events.until((e) => e.total === 1);
    await events.quiet(1_100);
    const start = Date.now();
    const users = await Promise.all(Array.from({ length: 8 }, (_, i) => s.user(`burst${i}`)));
    const sockets: TestSocket[] = [];
    for (const u of users) {
      sockets.push(await s.socket(u.token));
      await s.api('GET', '/forums', { headers: { 'user-agent': `Burst/${u.username}` } });
    }
    for (const sock of sockets.slice(0, 3)) sock.disconnect();
    await events.quiet(1_300);
    const burst = events.since(start);
    const duration = burst.at(-1)!.at - start;
    expect(burst.length).toBeLessThanOrEqual(Math.ceil(duration / 1000) + 1);
    expect(burst.length).toBeGreaterThan(1);
    const last = burst.at(-1)!.data;
    expect(last.registered.map((u) => u.username).sort()).toEqual(users.slice(3).map((u) => u.username).sort());
    expect(last.guestCount).toBe(1 + users.length);
  });

  it('sends a new socket the snapshot alone when it changes nothing, and a change to everyone', async () => {
    const GRACE = 300;
    const s = await server({ presenceGraceMs: GRACE });
    const events = await onlineWatcher(s, 'alone-watch-1');
    await events.until((e) => e.total === 1);
    const amy = await s.user('amy');
    const withAmy = { total: 2, registered: [card(amy)], registeredCount: 1, hiddenCount: 0, guestCount: 1, bots: [] };
    const tab = async () => {
      const { socket, connected } = openSocket(s.url, { token: amy.token });
      opened.push(socket);
      const heard = watch<OnlineSnapshot>(socket, 'presence:online');
      await connected;
      return { socket, heard };
    };
    const first = await tab();
    expect(await first.heard.until(() => true, 2_000)).toEqual(withAmy);
    await events.until((e) => e.total === 2);
    await events.quiet(1_100);

    // Amy reconnects within the grace period, then opens a second tab: each new socket gets
    // the snapshot, and no one else hears anything, not even when the old socket expires.
    const from = Date.now();
    first.socket.disconnect();
    await sleep(GRACE / 3);
    const again = await tab();
    const second = await tab();
    expect(await again.heard.until(() => true, 2_000)).toEqual(withAmy);
    expect(await second.heard.until(() => true, 2_000)).toEqual(withAmy);
    await sleep(GRACE + 1_000 + 300);
    expect(events.since(from)).toEqual([]);
    expect(again.heard.seen).toHaveLength(1);
    expect(second.heard.seen).toHaveLength(1);

    // Someone new: everyone hears it.
    const ben = await s.user('ben');
    await s.socket(ben.token);
    for (const heard of [events, again.heard, second.heard]) {
      expect((await heard.until((e) => e.registeredCount === 2, 3_000)).registered).toEqual([card(amy), card(ben)]);
    }
  });

  it('lists the first PRESENCE_LIST_LIMIT registered users and counts them all, pushed and over REST', async () => {
    const s = await server({ presenceListLimit: 2, presenceGraceMs: 0 });
    const events = await onlineWatcher(s, 'cap-watch-1');
    const [cara, abe, dot, bea] = await Promise.all(['cara', 'abe', 'dot', 'bea'].map((u) => s.user(u)));
    const shy = await s.user('aardvark');
    await s.models.User.updateOne({ _id: shy.id }, { $set: { hidden: true } });
    const mod = await s.user('cap_mod', 'moderator');
    const sockets = new Map<string, TestSocket>();
    for (const u of [cara, abe, dot, bea, shy]) sockets.set(u.id, await s.socket(u.token));

    const pushed = await events.until((e) => e.registeredCount === 4 && e.hiddenCount === 1);
    expect(pushed).toEqual({ total: 6, registered: [card(abe), card(bea)], registeredCount: 4, hiddenCount: 1, guestCount: 1, bots: [] });

    // GET /online is capped the same way; a newcomer's own snapshot too.
    expect(await online(s)).toEqual({ total: 7, registered: [card(abe), card(bea)], registeredCount: 4, hiddenCount: 1, guestCount: 2, bots: [] });
    const newcomer = await onlineWatcher(s, 'cap-watch-2');
    expect(await newcomer.until(() => true, 2_000)).toMatchObject({ registered: [card(abe), card(bea)], registeredCount: 4 });
    // To a moderator, hidden members are listed (and counted) too, under the same cap.
    expect(await online(s, { token: mod.token })).toEqual({
      total: 9,
      registered: [{ ...card(shy), hidden: true }, card(abe)],
      registeredCount: 6,
      hiddenCount: 1,
      guestCount: 3,
      bots: [],
    });

    // A change past the cap still reaches everyone, in the count.
    await events.until((e) => e.registeredCount === 5);
    sockets.get(dot.id)!.disconnect();
    const after = await events.until((e) => e.registeredCount === 4, 3_000);
    expect(after.registered).toEqual([card(abe), card(bea)]);
  });

  it('drops an HTTP visitor after ONLINE_WINDOW_MS without requests', async () => {
    const WINDOW = 1_500;
    const s = await server({ onlineWindowMs: WINDOW });
    const events = await onlineWatcher(s, 'window-watch-1');
    await s.api('GET', '/forums', { headers: { 'user-agent': BING } });
    await events.until((e) => e.bots.length === 1);
    await sleep(800);
    // A request inside the window keeps it online.
    await s.api('GET', '/forums', { headers: { 'user-agent': BING } });
    const refreshed = Date.now();
    await sleep(1_000);
    expect((await online(s)).bots).toEqual([{ name: 'Bing [Bot]' }]);
    const gone = await events.until((e) => e.bots.length === 0, 3_000);
    expect(Date.now() - refreshed).toBeGreaterThanOrEqual(WINDOW - 20);
    expect(gone).toMatchObject({ registered: [], bots: [] });
    expect((await online(s)).bots).toEqual([]);
  });
});

describe('GET /stats (the board index statistics)', () => {
  it('counts members but not bots, names the newest, and keeps the most ever online after they leave', async () => {
    const s = await server({ presenceGraceMs: 100 });
    const empty = (await s.api('GET', '/stats')).body;
    expect(empty).toEqual({ members: 0, newestMember: null, mostOnline: null });

    await s.user('stats_admin', 'admin');
    await s.user('stats_bot', 'bot');
    const first = await s.api('POST', '/auth/register', { body: { username: 'stats_first', password: 'password-123' } });
    expect(first.status).toBe(201);
    // The count was read once already: a registration here makes the next answer count again at once.
    expect((await s.api('GET', '/stats')).body).toMatchObject({ members: 2, newestMember: { id: first.body.user.id, username: 'stats_first' } });
    const second = await s.api('POST', '/auth/register', { body: { username: 'stats_second', password: 'password-123' } });
    expect((await s.api('GET', '/stats')).body).toMatchObject({ members: 3, newestMember: { id: second.body.user.id, username: 'stats_second' } });

    // Three guests at once: the record follows who-is-online's total, and stays when they go.
    const before = (await s.api('GET', '/stats')).body.mostOnline?.total ?? 0;
    const socks = await Promise.all(['g1-aaaaaaaa', 'g2-aaaaaaaa', 'g3-aaaaaaaa'].map((sessionId) => openSocket(s.url, { sessionId }).connected));
    opened.push(...socks);
    await expect.poll(async () => (await s.api('GET', '/stats')).body.mostOnline?.total ?? 0, { timeout: 5_000 }).toBeGreaterThanOrEqual(Math.max(before, 3));
    const record = (await s.api('GET', '/stats')).body.mostOnline;
    expect(Date.parse(record.at)).toBeGreaterThan(Date.now() - 60_000);
    for (const sock of socks) sock.disconnect();
    await expect.poll(async () => (await online(s)).total, { timeout: 5_000 }).toBeLessThan(record.total);
    expect((await s.api('GET', '/stats')).body.mostOnline).toEqual(record);
    // Stored, not only remembered: the record is in the database.
    expect(await s.models.BoardRecord.findById('mostOnline').lean()).toMatchObject({ total: record.total });
  });
});
