// The write path without watchers, for the bench tools that time it (post-cost, post-growth):
// its own FerretDB (or MONGODB_URI), the real app, one forum, one topic, one member, and the
// database's CPU time read from /proc.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { connectDatabase } from '../../server/db/connect.js';
import { createModels, ensureIndexes } from '../../server/models/index.js';
import { createApp } from '../../server/app.js';
import { launchDatabase } from '../../server/db/launcher.js';

export async function writePathRig({ monitorCommands = false } = {}) {
  let pid = 0;
  const dblog = pino({ level: 'info' }, { write(l: string) { const e = JSON.parse(l); if (e.ferretdbPid) pid = e.ferretdbPid; } });
  const db = await launchDatabase({ logger: dblog, mongodbUri: process.env.MONGODB_URI });
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', SEED_DEMO: 'never', DB_NAME: 'pc', JWT_SECRET: randomBytes(24).toString('hex'), PASSWORD_HASH_MEMORY_KIB: '1024', FLOOD_INTERVAL_MS: '0' });
  const conn = await connectDatabase(db.uri, 'pc', { monitorCommands });
  const models = createModels(conn);
  await ensureIndexes(models);
  const app = createApp({ config, logger: pino({ level: 'warn' }), models });
  const admin = await app.services.auth.createUser({ username: 'adm', password: 'password-1234', role: 'admin' });
  const forum = await app.services.forums.create({ id: String(admin._id), username: 'adm', role: 'admin' }, { title: 'F', description: 'd' });
  const m = await app.services.auth.createUser({ username: 'mem', password: 'password-1234', role: 'member' });
  const member = { id: String(m._id), username: 'mem', role: 'member' as const };
  const { topic } = await app.services.posts.createTopic(member, forum.id, { title: 'T', body: 'b' });
  /** The database's CPU time so far, ms (0 when it is not our FerretDB). */
  const dbCpuMs = () => {
    if (!pid) return 0;
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const close = async () => {
    await app.close();
    await conn.close();
    await db.stop();
  };
  return { app, conn, member, forumId: forum.id, topicId: topic.id, dbCpuMs, close };
}
