// The forum server under test, started the way server/main.ts starts it (own database through
// the launcher, real models, indexes and createApp), on a free port. It seeds one forum, its
// topics and the bench's users, then prints one JSON line: port, ids and the users' tokens.
// Env: BENCH_WATCHERS (1000), BENCH_POSTERS (20), BENCH_TOPICS (1), BENCH_CHURNERS_FROM (none),
// BENCH_LOG_LEVEL (warn), and
// any of the server's own settings (server/config.ts).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { createModels, ensureIndexes, type Models } from '../../server/models/index.js';
import { createApp, type ForumApp } from '../../server/app.js';
import type { AuthUser } from '../../server/services/token.service.js';
import { announce, serveStats } from './stats-ipc.js';
import { startBenchDatabase } from './database.js';

const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 1000);
const POSTERS = Number(process.env.BENCH_POSTERS ?? 20);
const TOPICS = Number(process.env.BENCH_TOPICS ?? 1);

const config = loadConfig({
  // The bench's thousand clients all come from 127.0.0.1 and a handful of posters stand in for
  // many members, so the abuse limits are lifted (set these in the env to measure with them on).
  // Note FLOOD_INTERVAL_MS=0 also skips the flood check's one conditional update per post.
  MAX_CONNECTIONS_PER_IP: '1000000',
  RATE_SOCKET_POINTS: '1000000',
  FLOOD_INTERVAL_MS: '0',
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  SEED_DEMO: 'never',
  DB_NAME: 'bench',
  JWT_SECRET: randomBytes(24).toString('hex'),
  PASSWORD_HASH_MEMORY_KIB: '1024',
});
let stopping = false;
// Requests still in flight when the bench stops the server fail noisily against the closed
// database; those lines say nothing about the run, so logging ends with the run.
const logger = pino({ level: config.logLevel }, { write: (line: string) => void (stopping || process.stderr.write(line)) });

const { db, dbPid } = await startBenchDatabase();
const conn = await connectDatabase(db.uri, config.dbName);
const models = createModels(conn);
await ensureIndexes(models);
const forum = createApp({ config, logger, models });
const seeded = await seed(forum, models);

serveStats(() => forum.io.engine.clientsCount);
process.on('SIGTERM', async () => {
  if (stopping) return;
  stopping = true;
  await forum.close();
  await disconnectDatabase(conn).catch(() => {});
  await db.stop();
  process.exit(0);
});
forum.httpServer.listen(0, '127.0.0.1', () => {
  const port = (forum.httpServer.address() as AddressInfo).port;
  announce({ server: 'ours', port, dbPid, engine: db.engine, ...seeded });
});

/** One forum, TOPICS topics, POSTERS + WATCHERS members with tokens (inserted in bulk: hashing each would take minutes). */
async function seed(app: ForumApp, { User }: Models) {
  const { services } = app;
  const admin = await services.auth.createUser({ username: 'bench_admin', password: 'bench-password', role: 'admin' });
  const adminUser: AuthUser = { id: String(admin._id), username: admin.username, role: 'admin' };
  const board = await services.forums.create(adminUser, { title: 'Bench', description: 'Load test forum' });

  const passwordHash = await services.passwords.hash('bench-password');
  // S4's churners (the accounts from BENCH_CHURNERS_FROM on) get names that sort first, so
  // they fall within the capped viewer list (PRESENCE_LIST_LIMIT) and their joins and leaves
  // can be seen by name.
  const churnersFrom = Number(process.env.BENCH_CHURNERS_FROM ?? Infinity);
  const names = [...Array.from({ length: POSTERS }, (_, i) => `poster_${i}`), ...Array.from({ length: WATCHERS }, (_, i) => (i >= churnersFrom ? `churner_${i}` : `watcher_${i}`))];
  const docs = names.map((username) => ({ _id: new Types.ObjectId(), username, usernameLower: username, passwordHash, role: 'member' }));
  for (let i = 0; i < docs.length; i += 500) await User.insertMany(docs.slice(i, i + 500));
  const token = (d: (typeof docs)[number]) => services.tokens.issue({ id: String(d._id), tokenVersion: 0 });

  const first = docs[0];
  const author: AuthUser = { id: String(first._id), username: first.username, role: 'member' };
  const topicIds: string[] = [];
  for (let i = 0; i < TOPICS; i++) {
    const { topic } = await services.posts.createTopic(author, board.id, { title: `Bench topic ${i}`, body: 'Opening post of a bench topic.' });
    topicIds.push(topic.id);
  }
  return {
    forumId: board.id,
    topicIds,
    posters: docs.slice(0, POSTERS).map(token),
    watchers: docs.slice(POSTERS).map(token),
  };
}
