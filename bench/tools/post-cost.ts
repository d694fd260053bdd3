// Per-post CPU of the write path alone (this process and its FerretDB), no watchers: a quick
// check of a write-path change before a full bench run. `npx tsx bench/tools/post-cost.ts` (N=400).
// RATES=50,100: then open-loop steps at those rates; TOPICS=100 spreads them over that many topics
// of the forum, as S2 does (each reply to the next topic in turn), instead of one.
import { writePathRig } from './write-path-rig.js';
const { app, member: mu, forumId, topicId, dbCpuMs: cpu, close } = await writePathRig();
const topic = { id: topicId };
const topics = [topicId];
for (let i = 1; i < Number(process.env.TOPICS ?? 1); i++) topics.push((await app.services.posts.createTopic(mu, forumId, { title: `T${i}`, body: 'b' })).topic.id);
const body = 'Some **markdown** body with [b]bbcode[/b] and a link https://example.com '.repeat(8);
const N = Number(process.env.N ?? 400);
for (const round of [1, 2]) {
  const c0 = cpu(); const p0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await app.services.posts.reply(mu, topic.id, { body, clientId: `r${round}-${i}` });
  const p = process.cpuUsage(p0);
  console.log(`round ${round}: node ${((p.user + p.system) / 1000 / N).toFixed(2)} ms/post, db ${((cpu() - c0) / N).toFixed(2)} ms/post, wall ${((performance.now() - t0) / N).toFixed(2)} ms/post`);
}
// Open loop at RATE posts/s (no watchers): how the write path's latency holds up on its own.
for (const [step, rate] of (process.env.RATES ?? '').split(',').filter(Boolean).map(Number).entries()) {
  const lat: number[] = [];
  const n = rate * 3;
  const c0 = cpu(); const p0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const due = t0 + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    await app.services.posts.reply(mu, topics[i % topics.length], { body, clientId: `o${step}-${rate}-${i}` });
    lat.push(performance.now() - due);
  }));
  const p = process.cpuUsage(p0); const wall = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  console.log(`open ${rate}/s: p50 ${lat[Math.floor(n * 0.5)].toFixed(1)} p99 ${lat[Math.floor(n * 0.99)].toFixed(1)} ms; node ${((p.user + p.system) / 1e4 / wall).toFixed(0)}% db ${((cpu() - c0) / 10 / wall).toFixed(0)}%`);
}
await close();
