// What a busy poll costs a topic's room, against posts at the same rate in the same run:
// `npx tsx bench/tools/poll-fanout.ts` (RATES=50,200 actions/s, SECONDS=5, WATCHERS=1000).
// The real server (bench/servers/forum-server.ts, its own FerretDB) in a child process; 1,000
// lean watchers on one topic with a poll; 20 members vote over REST, open loop at each rate
// (each vote changes the member's choice, so every one moves the totals), then post at the same
// rate through `post:create`. Per step: the action's own latency from its intended time, what
// reached the watchers (frames and bytes per second), the server's CPU per action, and for votes
// how long until watcher 0 saw totals that include each vote (the push's `rev`).
import { performance } from 'node:perf_hooks';
import { startServer, type RunningServer } from '../lib/processes.js';
import { connectLean, connectMany, type LeanClient } from '../lib/lean-client.js';

const RATES = (process.env.RATES ?? '50,200').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 5);
const WATCHERS = Number(process.env.WATCHERS ?? 1000);
const VOTERS = 20;
const POLL_FRAME = Buffer.from('42["poll:updated"');
const POST_FRAME = Buffer.from('42["post:created"');

// REST's per-IP and per-member limits lifted, as the bench lifts the socket ones (all 20 members vote from 127.0.0.1).
const server = await startServer('forum-server.ts', { BENCH_WATCHERS: String(WATCHERS), BENCH_POSTERS: String(VOTERS), RATE_REST_POINTS: '1000000' });
try {
  await run(server);
} finally {
  await server.stop();
}

async function run(srv: RunningServer): Promise<void> {
  const voters = srv.info.posters!;
  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${srv.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const made = await api(voters[0], 'POST', `/forums/${srv.info.forumId}/topics`, {
    title: 'Bench poll',
    body: 'Vote, often.',
    poll: { question: 'Which?', options: ['One', 'Two', 'Three', 'Four'], allowVoteChange: true },
  });
  const topicId: string = made.topic.id;

  // Watchers: count every frame (and its bytes) by kind; watcher 0 also notes each poll push's rev.
  const seen = { poll: 0, post: 0, other: 0, bytes: 0 };
  const revSeenAt: Array<{ rev: number; at: number }> = [];
  const watchers: LeanClient[] = await connectMany(WATCHERS, 50, async (i) => {
    const c = await connectLean(srv.url, 'socketio', srv.info.watchers![i]);
    c.onEvent = (frame) => {
      seen.bytes += frame.length;
      if (frame.subarray(0, POLL_FRAME.length).equals(POLL_FRAME)) {
        seen.poll++;
        if (i === 0) revSeenAt.push({ rev: Number(/"rev":(\d+)/.exec(frame.toString())?.[1] ?? -1), at: performance.now() });
      } else if (frame.subarray(0, POST_FRAME.length).equals(POST_FRAME)) seen.post++;
      else seen.other++;
    };
    const answer = await c.request('topic:subscribe', { topicId }, 30_000);
    if (!answer.ok) throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
    return c;
  });
  const posters = await connectMany(VOTERS, 20, (i) => connectLean(srv.url, 'socketio', voters[i]));
  await new Promise((r) => setTimeout(r, 1000));

  const choice = new Array<number>(VOTERS).fill(-1);
  console.log(`${WATCHERS} watchers on one topic; ${VOTERS} members; ${SECONDS} s per step (server CPU from its own process)`);
  console.log('| action | rate /s | latency p50 / p99 ms | pushes per watcher /s | frames to watchers /s | KB/s to watchers | server CPU ms per action | vote seen by watchers p50 / p99 ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const rate of RATES) {
    for (const action of ['vote', 'post'] as const) {
      const n = rate * SECONDS;
      const lat: number[] = [];
      const votes: Array<{ due: number; rev: number }> = [];
      Object.assign(seen, { poll: 0, post: 0, other: 0, bytes: 0 });
      revSeenAt.length = 0;
      const cpu0 = await srv.stats();
      const t0 = performance.now() + 50;
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const due = t0 + (i * 1000) / rate;
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
          const v = i % VOTERS;
          if (action === 'vote') {
            choice[v] = (choice[v] + 1) % 4;
            const { poll } = await api(voters[v], 'POST', `/topics/${topicId}/poll/vote`, { choices: [choice[v]] });
            votes.push({ due, rev: poll.rev });
          } else {
            const answer = await posters[v].request('post:create', { topicId, body: `Bench post ${i} at ${rate}/s`, clientId: `pf-${rate}-${i}` }, 30_000);
            if (!answer.ok) throw new Error(`post refused: ${JSON.stringify(answer)}`);
          }
          lat.push(performance.now() - due);
        }),
      );
      await new Promise((r) => setTimeout(r, 1000)); // the last coalesced push and the fan-out's tail
      const cpu1 = await srv.stats();
      const wall = (performance.now() - t0) / 1000;
      const cpuMs = (cpu1.cpu.user + cpu1.cpu.system - cpu0.cpu.user - cpu0.cpu.system) / 1000;
      const frames = action === 'vote' ? seen.poll : seen.post;
      const seenLat = votes.map((v) => (revSeenAt.find((p) => p.rev >= v.rev)?.at ?? Infinity) - v.due).sort((a, b) => a - b);
      lat.sort((a, b) => a - b);
      const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))];
      console.log(
        `| ${action} | ${rate} | ${pct(lat, 0.5).toFixed(1)} / ${pct(lat, 0.99).toFixed(1)} | ${(frames / WATCHERS / wall).toFixed(1)} | ${Math.round(frames / wall).toLocaleString('en')} | ${Math.round(seen.bytes / 1024 / wall).toLocaleString('en')} | ${(cpuMs / n).toFixed(2)} | ${action === 'vote' ? `${pct(seenLat, 0.5).toFixed(0)} / ${pct(seenLat, 0.99).toFixed(0)}` : '–'} |`,
      );
    }
  }
  for (const c of [...watchers, ...posters]) c.close();
}
