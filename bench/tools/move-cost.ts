// What moving posts costs (split, move posts, merge: bench/README "Split and merge"), against
// posting the same number of replies in the same run: `npx tsx bench/tools/move-cost.ts` (N=100,
// at most 200, the most one split names). A moved post is two claimed events (one per topic),
// the row's move, the counts, and four repointing updates; a reply is one claimed event and its row.
import { writePathRig } from './write-path-rig.js';
const { app, member, topicId, dbCpuMs: cpu, close } = await writePathRig();
const N = Math.min(200, Number(process.env.N ?? 100));
const m = await app.services.auth.createUser({ username: 'moder', password: 'password-1234', role: 'moderator' });
const mod = { id: String(m._id), username: 'moder', role: 'moderator' as const };
const body = 'Some **markdown** body with [b]bbcode[/b] and a link https://example.com '.repeat(8);

/** Node and database CPU and wall time per item of `what`, ms. */
async function timed(label: string, items: number, what: () => Promise<unknown>): Promise<{ wall: number; node: number; db: number }> {
  const c0 = cpu(); const p0 = process.cpuUsage(); const t0 = performance.now();
  await what();
  const p = process.cpuUsage(p0);
  const r = { wall: (performance.now() - t0) / items, node: (p.user + p.system) / 1000 / items, db: (cpu() - c0) / items };
  console.log(`${label.padEnd(34)} wall ${r.wall.toFixed(2)} ms, node ${r.node.toFixed(2)} ms, db ${r.db.toFixed(2)} ms per post`);
  return r;
}

for (const round of [1, 2]) {
  const ids: string[] = [];
  const reply = await timed(`round ${round}: ${N} replies, one by one`, N, async () => {
    for (let i = 0; i < N; i++) ids.push((await app.services.posts.reply(member, topicId, { body, clientId: `r${round}-${i}` })).post.id);
  });
  let splitId = '';
  const split = await timed(`round ${round}: split them off`, N, async () => {
    splitId = (await app.services.postMoves.split(mod, topicId, { postIds: ids, title: `Split ${round}` })).topic.id;
  });
  const merge = await timed(`round ${round}: merge them back`, N, () => app.services.postMoves.merge(mod, splitId, { intoTopicId: topicId }));
  const ratio = (x: { wall: number }) => (x.wall / reply.wall).toFixed(2);
  console.log(`round ${round}: per post, split ${ratio(split)}x and merge ${ratio(merge)}x a reply's wall time (same run)`);
}
await close();
