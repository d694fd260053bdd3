// What the read paths added with search and unread tracking cost, against the plainest read (a
// topic page) measured in the same run, as the board grows: `npx tsx bench/tools/read-cost.ts`
// (SIZES=1000,5000 posts; R=40 repetitions of each read). Sequential, in-process (the services
// the routes call), on its own FerretDB (or MONGODB_URI): node and database CPU per read.
import type { AuthUser } from '../../server/services/token.service.js';
import { writePathRig } from './write-path-rig.js';

const { app, member, topicId, dbCpuMs: dbCpu, close } = await writePathRig();
const { posts, topics, forums, search, unread } = app.services;
const SIZES = (process.env.SIZES ?? '1000,5000').split(',').map(Number);
const R = Number(process.env.R ?? 40);
const reader: AuthUser = { id: member.id, username: member.username, role: 'member' };
const forumId = (await topics.page(topicId, 1, reader)).topic.forumId;

// 25 topics to spread the posts over; a rare word in 1 post of 100, a common one in every post.
const topicIds = [topicId];
for (let i = 1; i < 25; i++) topicIds.push((await posts.createTopic(reader, forumId, { title: `Topic ${i}`, body: 'first' })).topic.id);
let made = 26;
async function growTo(total: number): Promise<void> {
  for (; made < total; made++) {
    const word = made % 100 === 0 ? ' zanzibar' : '';
    await posts.reply(reader, topicIds[made % topicIds.length], { body: `A reply about the weather${word}, number ${made}.`, clientId: `g${made}` });
  }
}

async function timed(name: string, read: () => Promise<unknown>): Promise<{ name: string; p50: number; p99: number; node: number; db: number }> {
  await read(); // warm
  const lat: number[] = [];
  const c0 = dbCpu();
  const p0 = process.cpuUsage();
  for (let i = 0; i < R; i++) {
    const t0 = performance.now();
    await read();
    lat.push(performance.now() - t0);
  }
  const p = process.cpuUsage(p0);
  lat.sort((a, b) => a - b);
  return { name, p50: lat[Math.floor(R * 0.5)], p99: lat[Math.min(R - 1, Math.floor(R * 0.99))], node: (p.user + p.system) / 1000 / R, db: (dbCpu() - c0) / R };
}

for (const size of SIZES) {
  await growTo(size);
  // A member who has read half the topics: unread flags to work out.
  for (const t of topicIds.slice(0, 12)) await unread.markTopic(reader, t, 1_000_000);
  const rows = [
    await timed('topic page (baseline)', () => topics.page(topicId, 1, reader)),
    await timed('forum listing, guest', () => forums.topics(forumId, 1, null)),
    await timed('forum listing, member (unread)', () => forums.topics(forumId, 1, reader)),
    await timed('board index, guest', () => forums.list(null)),
    await timed('board index, member (unread)', () => forums.list(reader)),
    await timed('search, rare word', () => search.search(reader, { q: 'zanzibar', page: 1 })),
    await timed('search, common word (capped)', () => search.search(reader, { q: 'weather', page: 1 })),
    await timed('search, two words', () => search.search(reader, { q: 'weather zanzibar', page: 1 })),
    await timed("search, a member's posts", () => search.search(reader, { authorId: reader.id, page: 1 })),
  ];
  const base = rows[0].p50;
  console.log(`\n${size} posts in ${topicIds.length} topics, ${R} reads each (wall ms; node and db CPU ms per read)`);
  console.log('| read | p50 | p99 | × topic page | node CPU | db CPU |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.p50 / base).toFixed(1)}× | ${r.node.toFixed(2)} | ${r.db.toFixed(1)} |`);
}
await close();
