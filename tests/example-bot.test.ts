import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, seedForum, type TestServer } from './helpers/server.js';
import { startWelcomeBot, citesSource, type WelcomeBot } from '../client/examples/welcome-bot.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await sleep(50);
  }
}

let s: TestServer;
let board: Awaited<ReturnType<typeof seedForum>>;
let dir: string;
const bots: WelcomeBot[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  s = await startTestServer();
  board = await seedForum(s);
  dir = await mkdtemp(path.join(os.tmpdir(), 'welcome-bot-'));
});
afterAll(async () => {
  for (const b of bots) await b.stop();
  for (const c of children) if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
  await s?.close();
  await rm(dir, { recursive: true, force: true });
});

async function botToken(username: string) {
  const bot = (await s.api('POST', '/bots', { token: board.admin.token, body: { username } })).body.bot;
  const issued = (await s.api('POST', `/bots/${bot.id}/tokens`, { token: board.admin.token, body: { scopes: ['read', 'post', 'thank'] } })).body;
  return { bot, token: issued.token as string, tokenId: issued.info.id as string };
}

const newTopic = async (title: string, body = 'Hello all') =>
  (await s.api('POST', `/forums/${board.forum.id}/topics`, { token: board.member.token, body: { title, body } })).body as { topic: { id: string }; post: { id: string } };
const reply = async (topicId: string, body: string) =>
  (await s.api('POST', `/topics/${topicId}/posts`, { token: board.member.token, body: { body } })).body.post as { id: string };
const postsOf = async (topicId: string) => (await s.api('GET', `/topics/${topicId}`)).body.posts as Array<{ id: string; body: string; author: { id: string }; thanksCount: number }>;
const welcomesIn = async (topicId: string, botId: string) => (await postsOf(topicId)).filter((p) => p.author.id === botId);
const thanksOf = async (postId: string) => (await s.models.Post.findById(postId).lean())?.thanksCount;

describe('which posts cite a source', () => {
  it('counts BBCode and Markdown links, not bare URLs or other schemes', () => {
    expect(citesSource('see [url=https://example.com/a]the paper[/url]')).toBe(true);
    expect(citesSource('see [URL]http://example.com[/URL]')).toBe(true);
    expect(citesSource('see [the paper](https://example.com/a)')).toBe(true);
    expect(citesSource('see https://example.com/a')).toBe(false);
    expect(citesSource('see [url=javascript:alert(1)]x[/url]')).toBe(false);
    expect(citesSource('see [x](ftp://example.com)')).toBe(false);
    expect(citesSource('no links at all')).toBe(false);
  });
});

describe('the welcome bot, in process', () => {
  it('welcomes new topics, thanks cited sources, and after a restart handles exactly what it missed', async () => {
    const { bot, token } = await botToken('Greeter');
    const stateFile = path.join(dir, 'in-process', 'welcome-bot.json');
    const start = () => startWelcomeBot({ url: s.url, token, stateFile }).then((b) => (bots.push(b), b));

    let running = await start();
    const first = await newTopic('Hi there');
    const welcomed = await waitFor(() => welcomesIn(first.topic.id, bot.id), (w) => w.length === 1, 5000, 'the welcome');
    expect(welcomed[0].body).toBe(`Welcome, ${board.member.username}!`);

    const cited = await reply(first.topic.id, 'As [url=https://example.com/study]this study[/url] shows');
    const bare = await reply(first.topic.id, 'Just https://example.com, no link');
    await waitFor(() => thanksOf(cited.id), (n) => n === 1, 5000, 'the thanks');
    await running.idle();
    expect(await thanksOf(bare.id)).toBe(0);
    // The bot's own welcome did not make it welcome or thank itself.
    expect(await welcomesIn(first.topic.id, bot.id)).toHaveLength(1);
    // The cursor is that of the last post it handled (its own thanks, which it filters out, may come later).
    const lastPost = await s.models.Event.findOne({ forumId: board.forum.id, type: 'post:created' }).sort({ forumSeq: -1 }).lean();
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toEqual({ forums: { [board.forum.id]: lastPost!.forumSeq } });

    await running.stop();
    // While it is away: a new topic, and a cited source in the old one.
    const missed = await newTopic('Anyone home?');
    const citedWhileAway = await reply(first.topic.id, 'Per [the docs](https://example.com/docs)');

    running = await start();
    await waitFor(() => welcomesIn(missed.topic.id, bot.id), (w) => w.length === 1, 5000, 'the missed welcome');
    await waitFor(() => thanksOf(citedWhileAway.id), (n) => n === 1, 5000, 'the missed thanks');
    await running.idle();
    await sleep(300);
    // Nothing handled twice: one welcome per topic, the old thanks untouched.
    expect(await welcomesIn(first.topic.id, bot.id)).toHaveLength(1);
    expect(await welcomesIn(missed.topic.id, bot.id)).toHaveLength(1);
    expect(await thanksOf(cited.id)).toBe(1);
    expect((await s.models.User.findById(bot.id).lean())!.thanksGiven).toBe(2);
    await running.stop();
  });
});

describe('npm run bot:example, as a process', () => {
  it('runs the documented command against a server, reacts to a new topic, and stops when its token is revoked', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['bot:example']).toBe('tsx client/examples/welcome-bot.ts');
    const { bot, token, tokenId } = await botToken('Doorman');
    // node with tsx's loader runs the same file as the npm script, with the pid being the bot's own.
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/examples/welcome-bot.ts'], {
      cwd: ROOT,
      env: { ...process.env, FORUM_URL: s.url, BOT_TOKEN: token, BOT_STATE_FILE: path.join(dir, 'process', 'state.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(async () => output, (o) => o.includes('ready as Doorman') || child.exitCode !== null, 30_000, 'the bot to start');
    expect(output).toContain('ready as Doorman');

    const { topic } = await newTopic('Process check');
    const w = await waitFor(() => welcomesIn(topic.id, bot.id), (x) => x.length === 1, 5000, `the welcome; bot said: ${output}`);
    expect(w[0].body).toBe(`Welcome, ${board.member.username}!`);

    await s.api('DELETE', `/bots/${bot.id}/tokens/${tokenId}`, { token: board.admin.token });
    const code = await Promise.race([exited, sleep(10_000).then(() => 'still running' as const)]);
    expect(code, output).toBe(1);
    expect(output).toContain('refused the token');
  }, 60_000);

  it('explains itself and exits 2 without a token', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/examples/welcome-bot.ts'], {
      cwd: ROOT,
      env: { ...process.env, BOT_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('create-bot');
  }, 30_000);
});
