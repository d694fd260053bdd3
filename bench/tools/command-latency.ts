// The write path's database commands one by one: replies at RATE posts/s (open loop, no
// watchers), each driver command's round trip (from the driver's command monitoring) and each
// reply's whole time, as percentiles. Shows which command a write-path change moved.
// `npx tsx bench/tools/command-latency.ts` (RATE=50, POSTS=750; FERRETDB_BIN or MONGODB_URI pick the database).
import { writePathRig } from './write-path-rig.js';

const rate = Number(process.env.RATE ?? 50);
const posts = Number(process.env.POSTS ?? 750);
const { app, conn, member, topicId, dbCpuMs, close } = await writePathRig({ monitorCommands: true });
const byCommand = new Map<string, number[]>();
/** Started commands by request id: "command collection" and when (the driver's own durations are whole ms). */
const started = new Map<number, { key: string; at: number }>();
let recording = false;
const client = conn.getClient();
client.on('commandStarted', (e) => {
  if (recording) started.set(e.requestId, { key: `${e.commandName} ${String(e.command[e.commandName] ?? '')}`, at: performance.now() });
});
client.on('commandSucceeded', (e) => {
  const s = started.get(e.requestId);
  if (!s) return;
  started.delete(e.requestId);
  (byCommand.get(s.key) ?? byCommand.set(s.key, []).get(s.key)!).push(performance.now() - s.at);
});

const body = 'Some **markdown** body with [b]bbcode[/b] and a link https://example.com '.repeat(8);
const replies: number[] = [];
recording = true;
const db0 = dbCpuMs();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: posts }, async (_, i) => {
    const due = t0 + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    await app.services.posts.reply(member, topicId, { body, clientId: `c${i}` });
    replies.push(performance.now() - due);
  }),
);
recording = false;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))].toFixed(2);
const line = (label: string, xs: number[]) => console.log(`${label.padEnd(24)} ${String(xs.length).padStart(6)}  p50 ${pct(xs, 0.5)}  p90 ${pct(xs, 0.9)}  p99 ${pct(xs, 0.99)}  max ${pct(xs, 1)} ms`);
line(`reply at ${rate}/s`, replies);
for (const [name, xs] of [...byCommand].sort((a, b) => b[1].length - a[1].length)) line(name, xs);
if (db0 || dbCpuMs()) console.log(`database CPU ${((dbCpuMs() - db0) / posts).toFixed(2)} ms per reply`);
await close();
