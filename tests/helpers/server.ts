import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { pino } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { Connection } from 'mongoose';
import { loadConfig, type Config } from '../../server/config.js';
import { connectDatabase } from '../../server/db/connect.js';
import { createModels, ensureIndexes, type Models } from '../../server/models/index.js';
import { createApp, type ForumApp } from '../../server/app.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import type { Role } from '../../shared/schemas.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  app: ForumApp;
  models: Models;
  conn: Connection;
  config: Config;
  dbName: string;
  /** fetch against /api/v1 with JSON in and out. */
  api: (method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string }) => Promise<{ status: number; body: any }>;
  /** A connected typed socket (guest when no token). Closed by close(). */
  socket: (token?: string, opts?: { auth?: Record<string, unknown>; query?: Record<string, string>; headers?: Record<string, string> }) => Promise<TestSocket>;
  /** Create a user straight through the service (any role) and return a token. */
  user: (username: string, role?: Role) => Promise<{ id: string; username: string; token: string }>;
  /** A forum made over REST by `by` (an admin), expected to be created: the forum as answered. */
  forum: (by: { token: string }, body: { title: string; [field: string]: unknown }) => Promise<any>;
  /** A topic started over REST by `by`, expected to be created: the topic and its opening post as answered. */
  topic: (forumId: string, by: { token: string }, body: { title: string; body: string; [field: string]: unknown }) => Promise<{ topic: any; post: any }>;
  /**
   * Stop the server (every socket drops) and start a fresh app on the same models and the SAME
   * port; `whileDown` runs against the new app before it listens (e.g. to post meanwhile).
   * `app` then refers to the new app.
   */
  restart: (opts?: { whileDown?: (app: ForumApp) => Promise<void> }) => Promise<void>;
  close: () => Promise<void>;
}

export function freshDbName(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Abuse limits high enough for tests that hammer the server; tests of the limits override them. */
export const GENEROUS_LIMITS = { RATE_SOCKET_POINTS: '10000', RATE_REST_POINTS: '1000000', MAX_CONNECTIONS_PER_IP: '10000', FLOOD_INTERVAL_MS: '0' };

/** A real server on port 0 against the run's database, in a database of its own. */
export async function startTestServer(overrides: Partial<Config> = {}, dbName = freshDbName()): Promise<TestServer> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'test-secret-0123456789abcdef', PASSWORD_HASH_MEMORY_KIB: '1024', ...GENEROUS_LIMITS }, overrides);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const conn = await connectDatabase(inject('mongoUri'), dbName);
  const models = createModels(conn);
  await ensureIndexes(models);
  let app = createApp({ config, logger, models });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const port = (app.httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const sockets: TestSocket[] = [];

  const api: TestServer['api'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(opts.body);
    } else if (opts.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${url}/api/v1${path}`, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  };

  const socket: TestServer['socket'] = (token, opts = {}) =>
    new Promise((resolve, reject) => {
      const s: TestSocket = ioClient(url, {
        auth: { ...(token ? { token } : {}), ...(opts.auth ?? {}) },
        query: opts.query,
        extraHeaders: opts.headers,
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', (err) => reject(err));
    });

  const user: TestServer['user'] = async (username, role = 'member') => {
    const created = await app.services.auth.createUser({ username, password: 'password-123', role });
    const token = app.services.tokens.issue({ id: String(created._id), tokenVersion: created.tokenVersion });
    return { id: String(created._id), username: created.username, token };
  };

  const forum: TestServer['forum'] = async (by, body) => {
    const res = await api('POST', '/forums', { token: by.token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.forum;
  };

  const topic: TestServer['topic'] = async (forumId, by, body) => {
    const res = await api('POST', `/forums/${forumId}/topics`, { token: by.token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { topic: res.body.topic, post: res.body.post };
  };

  const restart: TestServer['restart'] = async ({ whileDown } = {}) => {
    await app.close();
    app = createApp({ config, logger, models });
    await whileDown?.(app);
    await new Promise<void>((resolve, reject) => {
      app.httpServer.once('error', reject);
      app.httpServer.listen(port, '127.0.0.1', () => {
        app.httpServer.off('error', reject);
        resolve();
      });
    });
  };

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const s of sockets) s.disconnect();
    await app.close();
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  };

  return {
    url,
    get app() {
      return app;
    },
    models, conn, config, dbName, api, socket, user, forum, topic, restart, close,
  };
}

/** Send a command and wait for its ack. */
export function ack<T = any>(socket: TestSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<any> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), timeoutMs);
    (socket as unknown as Socket).emit(event, payload, (answer: T) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** Resolve with the next `count` events of a name (rejects after a timeout). */
export function collect<T = any>(socket: TestSocket, event: string, count: number, timeoutMs = 10_000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(() => reject(new Error(`got ${got.length}/${count} ${event}`)), timeoutMs);
    const on = (e: T) => {
      got.push(e);
      if (got.length === count) {
        clearTimeout(timer);
        (socket as unknown as Socket).off(event, on);
        resolve(got);
      }
    };
    (socket as unknown as Socket).on(event, on);
  });
}

/** Wait a little and report whether an event arrived (for "must not receive" checks). */
export function receivedWithin(socket: TestSocket, event: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const on = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      (socket as unknown as Socket).off(event, on);
      resolve(false);
    }, ms);
    (socket as unknown as Socket).once(event, on);
  });
}

/** A forum with one topic, made by an admin and a member. */
export async function seedForum(server: TestServer) {
  const admin = await server.user(`admin_${randomBytes(3).toString('hex')}`, 'admin');
  const member = await server.user(`member_${randomBytes(3).toString('hex')}`);
  const forumRes = await server.api('POST', '/forums', { token: admin.token, body: { title: 'General', description: 'Talk' } });
  const forum = forumRes.body.forum;
  const topicRes = await server.api('POST', `/forums/${forum.id}/topics`, { token: member.token, body: { title: 'Hello world', body: 'First post' } });
  return { admin, member, forum, topic: topicRes.body.topic, firstPost: topicRes.body.post };
}

export type SeededForum = Awaited<ReturnType<typeof seedForum>>;

/** A reply to a topic over REST by whoever holds `who.token`, expected to be stored: the new post's id. */
export async function replyAs(server: TestServer, topicId: string, who: { token: string }, body: string): Promise<string> {
  const res = await server.api('POST', `/topics/${topicId}/posts`, { token: who.token, body: { body } });
  expect(res.status).toBe(201);
  return res.body.post.id;
}

/**
 * A server with a seeded forum for the enclosing describe block: started before its tests and
 * closed after them. Read `.s` and `.ctx` inside the tests.
 */
export function seededServer(overrides: Partial<Config> = {}): { s: TestServer; ctx: SeededForum } {
  const env = {} as { s: TestServer; ctx: SeededForum };
  beforeAll(async () => {
    env.s = await startTestServer(overrides);
    env.ctx = await seedForum(env.s);
  });
  afterAll(() => env.s?.close());
  return env;
}
