// Database CPU per post as one topic grows past EVENT_RETENTION_COUNT (10,000 by default), where
// count-based pruning starts: `npx tsx bench/tools/post-growth.ts` (ROUNDS of 2,000 sequential posts).
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import { connectDatabase } from '../../server/db/connect.js';
import { createModels, ensureIndexes } from '../../server/models/index.js';
import { createApp } from '../../server/app.js';
import { launchDatabase } from '../../server/db/launcher.js';
let pid = 0;
const dblog = pino({ level: 'info' }, { write(l: string) { const e = JSON.parse(l); if (e.ferretdbPid) pid = e.ferretdbPid; } });
const db = await launchDatabase({ logger: dblog });
const config = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', SEED_DEMO: 'never', DB_NAME: 'pc', JWT_SECRET: randomBytes(24).toString('hex'), PASSWORD_HASH_MEMORY_KIB: '1024', FLOOD_INTERVAL_MS: '0' });
const conn = await connectDatabase(db.uri, 'pc');
const models = createModels(conn);
await ensureIndexes(models);
const app = createApp({ config, logger: pino({ level: 'warn' }), models });
const admin = await app.services.auth.createUser({ username: 'adm', password: 'password-1234', role: 'admin' });
const au = { id: String(admin._id), username: 'adm', role: 'admin' as const };
const forum = await app.services.forums.create(au, { title: 'F', description: 'd' });
const m = await app.services.auth.createUser({ username: 'mem', password: 'password-1234', role: 'member' });
const mu = { id: String(m._id), username: 'mem', role: 'member' as const };
const { topic } = await app.services.posts.createTopic(mu, forum.id, { title: 'T', body: 'b' });
const cpu = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const body = 'Some **markdown** body '.repeat(8);
for (let round = 1; round <= Number(process.env.ROUNDS ?? 8); round++) {
  const c0 = cpu(); const t0 = performance.now(); const N = 2000;
  for (let i = 0; i < N; i++) await app.services.posts.reply(mu, topic.id, { body, clientId: `r${round}-${i}` });
  console.log(`after ${round * N} posts: db ${((cpu() - c0) / N).toFixed(2)} ms/post, wall ${((performance.now() - t0) / N).toFixed(2)} ms/post`);
}
await app.close(); await conn.close(); await db.stop();
