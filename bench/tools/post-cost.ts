// Per-post CPU of the write path alone (this process and its FerretDB), no watchers: a quick
// check of a write-path change before a full bench run. `npx tsx bench/tools/post-cost.ts` (N=400).
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
const body = 'Some **markdown** body with [b]bbcode[/b] and a link https://example.com '.repeat(8);
const N = Number(process.env.N ?? 400);
for (const round of [1, 2]) {
  const c0 = cpu(); const p0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await app.services.posts.reply(mu, topic.id, { body, clientId: `r${round}-${i}` });
  const p = process.cpuUsage(p0);
  console.log(`round ${round}: node ${((p.user + p.system) / 1000 / N).toFixed(2)} ms/post, db ${((cpu() - c0) / N).toFixed(2)} ms/post, wall ${((performance.now() - t0) / N).toFixed(2)} ms/post`);
}
// Open loop at RATE posts/s (no watchers): how the write path's latency holds up on its own.
for (const rate of (process.env.RATES ?? '').split(',').filter(Boolean).map(Number)) {
  const lat: number[] = [];
  const n = rate * 3;
  const c0 = cpu(); const p0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const due = t0 + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    await app.services.posts.reply(mu, topic.id, { body, clientId: `o${rate}-${i}` });
    lat.push(performance.now() - due);
  }));
  const p = process.cpuUsage(p0); const wall = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  console.log(`open ${rate}/s: p50 ${lat[Math.floor(n * 0.5)].toFixed(1)} p99 ${lat[Math.floor(n * 0.99)].toFixed(1)} ms; node ${((p.user + p.system) / 1e4 / wall).toFixed(0)}% db ${((cpu() - c0) / 10 / wall).toFixed(0)}%`);
}
await app.close(); await conn.close(); await db.stop();
