// What the members' "last active" flush costs the posts written meanwhile: replies at RATE/s
// (open loop, no watchers) for two windows of the same length in one run, the second with a
// flush of MEMBERS members' times in the middle of it. `npx tsx bench/tools/flush-cost.ts`
// (RATE=25, MEMBERS=5000, WINDOW_MS=6000).
import { Types } from 'mongoose';
import { writePathRig } from './write-path-rig.js';

const RATE = Number(process.env.RATE ?? 25);
const MEMBERS = Number(process.env.MEMBERS ?? 5000);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 6000);
const { app, conn, member, topicId, dbCpuMs, close } = await writePathRig();

// Members as a board has them (a card's worth of fields), straight into the collection.
const ids = Array.from({ length: MEMBERS }, () => new Types.ObjectId());
const now = new Date();
for (let i = 0; i < MEMBERS; i += 1000) {
  await conn.collection('users').insertMany(
    ids.slice(i, i + 1000).map((_id, k) => ({
      _id, username: `m${i + k}`, usernameLower: `m${i + k}`, passwordHash: 'x'.repeat(90), role: 'member', groups: [], postCount: 0,
      joinedAt: now, location: 'Somewhere', signature: 'A signature of some length, as members write them.', fields: [], thanksGiven: 0, thanksReceived: 0,
      hidden: false, ignoring: [], friends: [], tokenVersion: 0, loggedOut: [],
    })),
  );
}

const body = 'Some **markdown** body with [b]bbcode[/b] and a link https://example.com '.repeat(8);
async function window(name: string, during?: () => Promise<number>) {
  const n = Math.round((RATE * WINDOW_MS) / 1000);
  const lat: number[] = [];
  const c0 = dbCpuMs();
  const t0 = performance.now();
  const side = during ? new Promise((r) => setTimeout(r, WINDOW_MS / 3)).then(during) : Promise.resolve(0);
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const due = t0 + (i * 1000) / RATE;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    await app.services.posts.reply(member, topicId, { body, clientId: `${name}-${i}` });
    lat.push(performance.now() - due);
  }));
  const flushMs = await side;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))].toFixed(1);
  console.log(`${name}: ${n} replies at ${RATE}/s: p50 ${q(0.5)} p99 ${q(0.99)} max ${q(1)} ms; db ${(dbCpuMs() - c0).toFixed(0)} ms CPU${during ? `; the flush took ${flushMs.toFixed(0)} ms` : ''}`);
}

await window('warm-up');
for (let round = 1; round <= 2; round++) {
  await window(`round ${round}, no flush`);
  await window(`round ${round}, flush of ${MEMBERS}`, async () => {
    for (const id of ids) app.services.lastActive.touch(String(id));
    const t = performance.now();
    await app.services.lastActive.flush();
    return performance.now() - t;
  });
}
await close();
