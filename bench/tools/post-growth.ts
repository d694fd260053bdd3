// Database CPU per post as one topic grows past EVENT_RETENTION_COUNT (10,000 by default), where
// count-based pruning starts: `npx tsx bench/tools/post-growth.ts` (ROUNDS of 2,000 sequential posts).
import { writePathRig } from './write-path-rig.js';
const { app, member: mu, topicId, dbCpuMs: cpu, close } = await writePathRig();
const topic = { id: topicId };
const body = 'Some **markdown** body '.repeat(8);
for (let round = 1; round <= Number(process.env.ROUNDS ?? 8); round++) {
  const c0 = cpu(); const t0 = performance.now(); const N = 2000;
  for (let i = 0; i < N; i++) await app.services.posts.reply(mu, topic.id, { body, clientId: `r${round}-${i}` });
  console.log(`after ${round * N} posts: db ${((cpu() - c0) / N).toFixed(2)} ms/post, wall ${((performance.now() - t0) / N).toFixed(2)} ms/post`);
}
await close();
