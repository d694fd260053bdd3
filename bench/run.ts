// `npm run bench` (quick, < 3 min) or `npm run bench -- --full [--soak [--soak-minutes 30]]`.
// The load generator is this process; every server under test is a child process (see
// lib/processes.ts), stopped by pid on any exit. One table on stdout, progress on stderr,
// results in bench/results/latest.json and bench/results/latency-vs-rate.svg.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './lib/processes.js';
import type { ClientKind, Target } from './lib/target.js';
import { openSession, slope as slopeOf, type OpenSession } from './lib/session.js';
import { runStep, type StepResult } from './lib/step.js';
import { stepped, steppedTogether, settle, type SteppedOptions, type SteppedResult } from './scenarios/stepped.js';
import { reconnectStorm, type ReconnectOptions, type ReconnectResult } from './scenarios/reconnect.js';
import { reconnectStormLean } from './scenarios/reconnect-lean.js';
import { presenceChurn, type ChurnOptions, type ChurnResult } from './scenarios/presence-churn.js';
import { renderTable, renderVerdicts, rowFromStep, ratio, type Row, type Verdict } from './lib/report.js';
import { latencyChart } from './lib/svg.js';
import { log } from './lib/log.js';
import { SERVER_NODE_FLAGS } from '../server/node-flags.js';

const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    /** S6's length; its rate is half ours' S1 ceiling from the same run (20 posts/s if S1 did not run). */
    'soak-minutes': { type: 'string', default: '30' },
    client: { type: 'string', default: 'lean' },
    only: { type: 'string' },
    servers: { type: 'string' },
    watchers: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    /** S5's clients: the SDK (default in --full) or the lean clients S1 opened (default in quick). */
    s5: { type: 'string' },
    /** S1's post rates, comma-separated, instead of the mode's climb (for a quick look at a few rates). */
    rates: { type: 'string' },
    /** Rounds of idle watchers for the marginal memory figure, instead of the mode's (0 skips it). */
    'idle-rounds': { type: 'string' },
  },
});

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const PROFILE_DIR = path.join(RESULTS_DIR, 'profile');

/** With --cpu-prof: profile the server over exactly this scenario's window. */
async function profiled<T>(t: Target, scenario: string, run: () => Promise<T>): Promise<T> {
  if (!args['cpu-prof']) return run();
  await t.server.profile('start');
  try {
    return await run();
  } finally {
    const file = path.join(PROFILE_DIR, `${t.name}-${scenario}.cpuprofile`);
    await t.server.profile('stop', file);
    log(`  profile: ${path.relative(process.cwd(), file)}`);
  }
}
const kind = args.client as ClientKind;
if (kind !== 'lean' && kind !== 'sio') throw new Error('--client is lean or sio');
const WATCHERS = Number(args.watchers ?? 1000);
const S1_POSTERS = 4;
const S3_POSTERS = 20;

interface Mode {
  s1: SteppedOptions;
  s2: (SteppedOptions & { topics: number; watchersPerTopic: number }) | null;
  s3: { durationMs: number; drainMs: number };
  s4: ChurnOptions;
  s5: ReconnectOptions;
  soak: { rate: number; durationMs: number } | null;
  /** Rounds of as many more idle watchers, opened and closed again before S1, for the marginal memory cost. */
  idleRounds: number;
}

const QUICK: Mode = {
  s1: { rates: [5, 10, 25, 50, 100, 200, 400, 800], stepMs: 2500, drainMs: 2000, warmupMs: 1000, p99LimitMs: 100, minDelivered: 0.999 },
  s2: null,
  s3: { durationMs: 5000, drainMs: 3000 },
  s4: { churners: 100, opsPerSec: 200, postRate: 10, durationMs: 4000, drainMs: 4000 },
  s5: { clients: WATCHERS, rate: 10, durationMs: 6000, dropAtMs: 1500, dropWindowMs: 0, drainMs: 5000, settleMs: 10_000 },
  soak: null,
  idleRounds: 3,
};
const FULL: Mode = {
  s1: { rates: [5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1200, 1600], stepMs: 10_000, drainMs: 3000, warmupMs: 3000, p99LimitMs: 100, minDelivered: 0.999 },
  s2: { rates: [50, 100, 200, 400, 800, 1600, 3200], stepMs: 10_000, drainMs: 3000, warmupMs: 2000, p99LimitMs: 100, minDelivered: 0.999, topics: 100, watchersPerTopic: 20 },
  s3: { durationMs: 20_000, drainMs: 5000 },
  s4: { churners: 100, opsPerSec: 200, postRate: 10, durationMs: 20_000, drainMs: 3000 },
  s5: { clients: WATCHERS, rate: 10, durationMs: 15_000, dropAtMs: 3000, dropWindowMs: 0, drainMs: 15_000, settleMs: 30_000 },
  soak: args.soak ? { rate: 20, durationMs: Number(args['soak-minutes']) * 60_000 } : null,
  idleRounds: 4,
};
const mode: Mode = { ...(args.full ? FULL : QUICK) };
if (args.rates) mode.s1 = { ...mode.s1, rates: args.rates.split(',').map(Number) };
if (args['idle-rounds'] != null) mode.idleRounds = Number(args['idle-rounds']);
const only = new Set((args.only ?? 'S1,S2,S3,S4,S5,S6').split(',').map((s) => s.trim().toUpperCase()));
const servers = new Set((args.servers ?? 'ours,B0,B1,B2').split(',').map((s) => s.trim()));
const s5Client = (args.s5 ?? (args.full ? 'sdk' : 'lean')) as 'sdk' | 'lean';
const want = (scenario: string, server: string) => only.has(scenario) && servers.has(server);
/** The marginal memory cost is measured (and reported in S1's row) for the servers S1 runs. */
const idleRoundsFor = (server: string) => (want('S1', server) ? mode.idleRounds : 0);

interface Results {
  startedAt: string;
  finishedAt?: string;
  wallSeconds?: number;
  mode: 'quick' | 'full';
  client: ClientKind;
  machine: Record<string, unknown>;
  S1: Record<string, SteppedResult & { memory: unknown; frameBytes: number }>;
  S2: Record<string, SteppedResult>;
  S3: Record<string, StepResult & { memory: unknown }>;
  S4: Record<string, ChurnResult>;
  S5: Record<string, ReconnectResult>;
  S6: Record<string, { step: StepResult; samples: unknown[]; rate?: number; rssSlopeMBPerMin?: number; heapSlopeMBPerMin?: number }>;
  verdicts?: Verdict[];
  table?: string;
  errors: string[];
}

const started = Date.now();
const results: Results = {
  startedAt: new Date().toISOString(),
  mode: args.full ? 'full' : 'quick',
  client: kind,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAvgAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
  },
  S1: {},
  S2: {},
  S3: {},
  S4: {},
  S5: {},
  S6: {},
  errors: [],
};

/** One scenario's failure is recorded and the run goes on with the next. */
async function attempt(label: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const msg = `${label}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`;
    results.errors.push(msg);
    log(`ERROR ${msg}`);
  }
}

async function startTarget(name: Target['name'], file: string, env: Record<string, string> = {}): Promise<Target> {
  log(`starting ${name} (${file})`);
  const t0 = Date.now();
  // Ours runs with the flags `npm start` gives it; the baselines with Node's defaults (B1
  // measured with them too: the same ceiling, see the README's Performance section).
  const nodeArgs = name === 'ours' ? SERVER_NODE_FLAGS : [];
  const server = await startServer(file, { BENCH_WATCHERS: String(WATCHERS), BENCH_POSTERS: String(S3_POSTERS), ...env }, nodeArgs);
  if (args['cpu-prof']) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  log(`  ${name} ready on port ${server.info.port} in ${Date.now() - t0} ms${server.info.engine ? ` (database: ${server.info.engine})` : ''}`);
  return { name, server, wire: name === 'B0' ? 'raw' : 'socketio' };
}

async function s3On(t: Target, s?: OpenSession) {
  const session = s ?? (await openSession(t, { posters: S3_POSTERS, watchers: WATCHERS, kind }));
  try {
    const r = await runStep(
      { target: t, posters: session.allPosters.slice(0, S3_POSTERS), meter: session.meter, topics: session.topics, watchersPerTopic: session.watchersPerTopic },
      { step: session.nextStep(), rate: 0, ...mode.s3 },
    );
    results.S3[t.name] = { ...r, memory: session.memory };
    log(`  S3 ${t.name}: ${r.postsPerSec} posts/s (closed loop, ${S3_POSTERS} posters), ack p99 ${r.ack.p99} ms, delivery p50 ${r.latency.p50} p99 ${r.latency.p99} ms, ${(r.deliveredRatio * 100).toFixed(1)}% delivered, server cpu ${r.server.cpuPct}%, db cpu ${r.db.cpuPct ?? '?'}%`);
    await settle(session.meter);
  } finally {
    if (!s) session.close();
  }
}

/**
 * Ours, B1 and B0 run side by side for S1 (its steps interleaved), then B1 and B0 stop and
 * ours goes on with S3, S5 and S4 on the same connections; B2 last, for S3.
 */
async function main() {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const running: Target[] = [];
  const sessions = new Map<string, OpenSession>();
  const stop = async (t: Target | undefined) => {
    if (!t) return;
    sessions.get(t.name)?.close();
    sessions.delete(t.name);
    running.splice(running.indexOf(t), 1);
    await t.server.stop();
  };
  try {
    const needOurs = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].some((sc) => want(sc, 'ours'));
    const s1Names = (['ours', 'B1', 'B0'] as const).filter((n) => want('S1', n));
    let ours: Target | undefined;
    let b1: Target | undefined;
    let b0: Target | undefined;
    if (needOurs) {
      const topics = mode.s2 && want('S2', 'ours') ? 1 + mode.s2.topics : 1;
      const churners = want('S4', 'ours') ? mode.s4.churners : 0;
      const users = WATCHERS + churners + idleRoundsFor('ours') * WATCHERS;
      running.push((ours = await startTarget('ours', 'forum-server.ts', { BENCH_TOPICS: String(topics), BENCH_WATCHERS: String(users), BENCH_CHURNERS_FROM: String(WATCHERS) })));
      sessions.set('ours', await openSession(ours, { posters: S3_POSTERS, watchers: WATCHERS, kind, idleRounds: idleRoundsFor('ours'), idleFirstAccount: WATCHERS + churners }));
    }
    if (want('S1', 'B1') || (mode.s2 && want('S2', 'B1'))) {
      running.push((b1 = await startTarget('B1', 'b1-socketio.ts', { BENCH_TOPICS: String(mode.s2?.topics ?? 1) })));
      if (want('S1', 'B1')) sessions.set('B1', await openSession(b1, { posters: S1_POSTERS, watchers: WATCHERS, kind, idleRounds: idleRoundsFor('B1') }));
    }
    if (want('S1', 'B0')) {
      running.push((b0 = await startTarget('B0', 'b0-ws.ts')));
      sessions.set('B0', await openSession(b0, { posters: S1_POSTERS, watchers: WATCHERS, kind, idleRounds: idleRoundsFor('B0') }));
    }

    if (s1Names.length)
      await attempt('S1', async () => {
        const climbers = s1Names.map((n) => sessions.get(n)!).map((s) => ({ ...s, posters: s.allPosters.slice(0, S1_POSTERS) }));
        const out = await profiledAll(climbers.map((c) => c.target), 'S1', () => steppedTogether('S1', climbers, mode.s1));
        climbers.forEach((c, i) => (results.S1[c.target.name] = { ...out[i], memory: c.memory, frameBytes: c.meter.frameBytes }));
      });
    if (b1 && mode.s2 && want('S2', 'B1')) await attempt('S2 B1', () => s2On(b1!));
    await stop(b1);
    await stop(b0);

    if (ours) {
      const t = ours;
      const s = sessions.get('ours')!;
      if (want('S3', 'ours')) await attempt('S3 ours', () => profiled(t, 'S3', () => s3On(t, s)));
      if (mode.soak && want('S6', 'ours'))
        await attempt('S6 ours', async () => {
          results.S6.ours = await soak(t, s);
        });
      // The churn floods the watchers with presence pushes and the database with reads: settle after.
      if (want('S4', 'ours'))
        await attempt('S4 ours', async () => {
          const r = await profiled(t, 'S4', () => presenceChurn({ ...s, posters: s.allPosters.slice(0, S1_POSTERS) }, WATCHERS, mode.s4));
          results.S4.ours = r;
          log(`  S4 ours: ${r.opsOk}/${r.opsSent} joins+leaves ok (ack p99 ${r.ack.p99} ms), shown in presence:topic p50 ${r.propagation.p50} p99 ${r.propagation.p99} ms (${r.notShown} not shown); presence ${r.presenceFramesPerSec} frames/s of ${r.presenceFrameKB} KB = ${r.presenceMBPerSec} MB/s at the watchers; posts at ${mode.s4.postRate}/s: p50 ${r.posts.latency.p50} p99 ${r.posts.latency.p99} ms (${(r.posts.deliveredRatio * 100).toFixed(1)}% delivered, ${r.posts.postsOk}/${r.posts.postsSent} acked), server cpu ${r.posts.server.cpuPct}%, db cpu ${r.posts.db.cpuPct ?? '?'}%`);
          await settle(s.meter);
        });
      if (want('S5', 'ours') && s5Client === 'lean')
        await attempt('S5 ours', async () => {
          results.S5.ours = await profiled(t, 'S5', () => reconnectStormLean(s, mode.s5));
          logS5(results.S5.ours);
          await settle(s.meter);
        });
      s.closeWatchers();
      if (want('S5', 'ours') && s5Client === 'sdk')
        await attempt('S5 ours', async () => {
          await settle(s.meter);
          results.S5.ours = await profiled(t, 'S5', () => reconnectStorm({ ...s, posters: s.allPosters.slice(0, S1_POSTERS) }, mode.s5));
          logS5(results.S5.ours);
        });
      if (mode.s2 && want('S2', 'ours')) await attempt('S2 ours', () => s2On(t));
      await stop(ours);
    }

    if (want('S3', 'B2')) {
      const b2 = await startTarget('B2', 'b2-mongo.ts');
      running.push(b2);
      await attempt('S3 B2', () => s3On(b2));
      await stop(b2);
    }
  } finally {
    for (const t of [...running]) await stop(t).catch(() => {});
  }
}

async function profiledAll<T>(targets: Target[], scenario: string, run: () => Promise<T>): Promise<T> {
  if (!args['cpu-prof']) return run();
  for (const t of targets) await t.server.profile('start');
  try {
    return await run();
  } finally {
    for (const t of targets) {
      const file = path.join(PROFILE_DIR, `${t.name}-${scenario}.cpuprofile`);
      await t.server.profile('stop', file);
      log(`  profile: ${path.relative(process.cwd(), file)}`);
    }
  }
}

/** S6: a long steady run; RSS and event-loop delay sampled every 30 s show drift. */
async function soak(t: Target, s: Awaited<ReturnType<typeof openSession>>) {
  const ceiling = results.S1.ours?.best?.rate;
  const rate = ceiling ? Math.max(1, Math.floor(ceiling / 2)) : mode.soak!.rate;
  const { durationMs } = mode.soak!;
  log(`  S6 ours: ${rate} posts/s (${ceiling ? `half the S1 ceiling of ${ceiling}/s` : 'S1 did not run'}) for ${durationMs / 60_000} min`);
  const samples: Array<{ atS: number; rssMB: number; heapMB: number; eldP99Ms: number }> = [];
  const t0 = Date.now();
  const sampler = setInterval(() => {
    void t.server.stats({ resetEld: true }).then((st) =>
      samples.push({ atS: Math.round((Date.now() - t0) / 1000), rssMB: Math.round(st.rss / 2 ** 20), heapMB: Math.round(st.heapUsed / 2 ** 20), eldP99Ms: Math.round(st.eld.p99) }),
    );
  }, 30_000);
  try {
    const step = await runStep(
      { target: t, posters: s.allPosters.slice(0, S1_POSTERS), meter: s.meter, topics: s.topics, watchersPerTopic: s.watchersPerTopic },
      { step: s.nextStep(), rate, durationMs, drainMs: 5000 },
    );
    const rssSlopeMBPerMin = slope(samples.map((x) => [x.atS / 60, x.rssMB]));
    const heapSlopeMBPerMin = slope(samples.map((x) => [x.atS / 60, x.heapMB]));
    log(`  S6 ours: ${rate} posts/s for ${durationMs / 1000} s: p99 ${step.latency.p99} ms, ${(step.deliveredRatio * 100).toFixed(2)}% delivered; RSS slope ${rssSlopeMBPerMin} MB/min, heap slope ${heapSlopeMBPerMin} MB/min; RSS ${samples.map((x) => x.rssMB).join(' ')} MB`);
    return { step, samples, rate, rssSlopeMBPerMin, heapSlopeMBPerMin };
  } finally {
    clearInterval(sampler);
  }
}

/** Least-squares slope of y over x, rounded to 0.01. */
const slope = (points: Array<[number, number]>) => Math.round(slopeOf(points) * 100) / 100;

function logS5(r: ReconnectResult) {
  log(`  S5 ours (${r.client}): caught up p50 ${r.caughtUp.p50} p99 ${r.caughtUp.p99} max ${r.caughtUp.max} ms; ${r.caughtUpWithin3s}/${r.clients} within 3 s, never ${r.neverCaughtUp}; missed ${r.missedByCaughtUp} by caught-up clients (${r.missed} in all, ${r.clientsMissing} clients), duplicates ${r.duplicates}; reconnect retries ${r.reconnectFailures}${r.failureReasons && r.reconnectFailures ? ` ${JSON.stringify(r.failureReasons)}` : ''}${r.setupFailures ? `, ${r.setupFailures} could not subscribe before the storm` : ''}; posts ${r.step.postsOk}/${r.step.postsSent} acked; server cpu ${r.step.server.cpuPct}%, db cpu ${r.step.db.cpuPct ?? '?'}%, client cpu ${r.step.client.cpuPct}%`);
}

async function s2On(t: Target) {
  const s2 = mode.s2!;
  const topics = t.server.info.topicIds.slice(-s2.topics);
  const s = await openSession(t, { posters: S1_POSTERS, watchers: s2.topics * s2.watchersPerTopic, topics, topicFor: (i) => topics[i % topics.length], kind });
  try {
    results.S2[t.name] = await stepped('S2', s, s2);
  } finally {
    s.close();
  }
}

function report() {
  const rows: Row[] = [];
  const verdicts: Verdict[] = [];
  const s1 = results.S1;
  const best = (n: string) => s1[n]?.best ?? null;
  type Mem = { rssPerConnKB?: number; marginal?: { rssPerConnKB: number; heapPerConnKB: number } } | undefined;
  const mem = (n: string) => s1[n]?.memory as Mem;
  /** What one more idle connection costs (the marginal slope), else the first watchers' average. */
  const per1k = (n: string) => mem(n)?.marginal?.rssPerConnKB ?? mem(n)?.rssPerConnKB;
  const mb1k = (kb: number | undefined) => (kb === undefined ? null : Math.round((kb * 1000) / 1024 * 10) / 10);
  for (const n of ['ours', 'B1', 'B0']) {
    if (!s1[n]) continue;
    const b = best(n);
    const vs =
      n === 'ours'
        ? `${fmtRatio(ratio(b?.deliveriesPerSec, best('B1')?.deliveriesPerSec))} of B1, ${fmtRatio(ratio(b?.deliveriesPerSec, best('B0')?.deliveriesPerSec))} of B0`
        : n === 'B1'
          ? `${fmtRatio(ratio(b?.deliveriesPerSec, best('B0')?.deliveriesPerSec))} of B0`
          : '';
    const fail = s1[n].failed ? `; failed at ${s1[n].failed!.rate}/s` : '';
    rows.push(rowFromStep('S1 fan-out', n, b ? `${b.rate} posts/s × ${WATCHERS}${fail}` : `none passed${fail}`, b, mb1k(per1k(n)), vs));
  }
  for (const n of ['ours', 'B1']) {
    const r = results.S2[n];
    if (!r) continue;
    const b = r.best;
    const vs = n === 'ours' ? `${fmtRatio(ratio(b?.deliveriesPerSec, results.S2.B1?.best?.deliveriesPerSec))} of B1` : '';
    rows.push(rowFromStep('S2 100 topics', n, b ? `${b.rate} posts/s × 20` : 'none passed', b, null, vs));
  }
  for (const n of ['ours', 'B2']) {
    const r = results.S3[n];
    if (!r) continue;
    const vs = n === 'ours' ? `${fmtRatio(ratio(r.postsPerSec, results.S3.B2?.postsPerSec))} of B2 posts/s` : '';
    rows.push(rowFromStep('S3 full path', n, `${r.postsPerSec} posts/s (closed loop, ${S3_POSTERS} posters)`, r, null, vs));
  }
  const s4 = results.S4.ours;
  if (s4) {
    rows.push(
      rowFromStep('S4 presence churn', 'ours', `${mode.s4.opsPerSec} joins+leaves/s, ${mode.s4.postRate} posts/s`, s4.posts, null,
        `${s4.posts.postsOk}/${s4.posts.postsSent} posts acked; presence shown p99 ${fmtMs(s4.propagation.p99)}, ${s4.presenceMBPerSec} MB/s of it`),
    );
  }
  const s5 = results.S5.ours;
  if (s5) {
    rows.push({
      scenario: 'S5 reconnect',
      server: 'ours',
      load: `${s5.clients} ${s5.client === 'sdk' ? 'SDK' : 'lean'} clients dropped at once, ${s5.rate} posts/s`,
      p50: s5.caughtUp.p50,
      p99: s5.caughtUp.p99,
      p999: s5.caughtUp.p999,
      deliveriesPerSec: null,
      cpuPerDelivery: null,
      rssPer1k: null,
      vs: `time to caught up; ${s5.neverCaughtUp} never did; missed ${s5.missedByCaughtUp} (by caught-up clients), dup ${s5.duplicates}`,
    });
  }

  // Targets.
  const r1 = ratio(best('ours')?.deliveriesPerSec, best('B1')?.deliveriesPerSec);
  if (s1.ours && s1.B1)
    verdicts.push({ target: 'S1 deliveries/s at p99 <= 100 ms >= 1.0x B1', met: r1 !== null && r1 >= 1, detail: `${best('ours')?.deliveriesPerSec ?? 0} vs ${best('B1')?.deliveriesPerSec ?? 0} deliveries/s = ${fmtRatio(r1)}` });
  // p99 at 50,000 deliveries/s: the step at that rate (50 posts/s with 1,000 watchers), every
  // attempt at it (a climb runs a rate twice only after a failure).
  const rate50k = 50_000 / WATCHERS;
  const at50k = (n: string) => s1[n]?.steps.filter((st) => st.rate === rate50k && st.durationMs >= mode.s1.stepMs) ?? [];
  if (at50k('ours').length) {
    const p99s = (n: string) => at50k(n).map((st) => fmtMs(st.latency.p99)).join(', ');
    const worst = Math.max(...at50k('ours').map((st) => st.latency.p99 ?? Infinity));
    verdicts.push({
      target: 'S1 p99 <= 25 ms at 50,000 deliveries/s',
      met: worst <= 25,
      detail: `ours ${p99s('ours')} at ${rate50k} posts/s x ${WATCHERS} (p50 ${at50k('ours').map((st) => fmtMs(st.latency.p50)).join(', ')}); B1 ${p99s('B1') || '?'}, B0 ${p99s('B0') || '?'}`,
    });
  }
  if (results.S3.ours && results.S3.B2) {
    const r3 = ratio(results.S3.ours.postsPerSec, results.S3.B2.postsPerSec);
    verdicts.push({ target: 'S3 posts/s >= 0.8x B2', met: r3 !== null && r3 >= 0.8, detail: `${results.S3.ours.postsPerSec} vs ${results.S3.B2.postsPerSec} posts/s = ${fmtRatio(r3)}` });
  }
  const kb = per1k('ours');
  const m = (n: string) => mem(n)?.marginal;
  // Without idle rounds (--idle-rounds 0) only the first watchers' average is known, which
  // includes one-off growth: no verdict then.
  if (kb !== undefined && m('ours'))
    verdicts.push({
      target: 'idle authenticated subscribed connection <= 12 KB RSS',
      met: kb <= 12,
      detail: m('ours')
        ? `${kb} KB RSS (${m('ours')!.heapPerConnKB} KB heap) per extra connection; B1 ${m('B1')?.rssPerConnKB ?? '?'} KB (${m('B1')?.heapPerConnKB ?? '?'} heap), B0 ${m('B0')?.rssPerConnKB ?? '?'} KB. The first ${WATCHERS} cost ${mem('ours')?.rssPerConnKB} KB each on average (B1 ${mem('B1')?.rssPerConnKB ?? '?'}), one-off growth included`
        : `${kb} KB each (B1: ${per1k('B1') ?? '?'} KB, B0: ${per1k('B0') ?? '?'} KB)`,
    });
  if (s5) {
    const met = s5.caughtUpWithin3s === s5.clients && s5.missed === 0 && s5.duplicates === 0;
    verdicts.push({
      target: 'S5 all caught up within 3 s, 0 missed, 0 duplicates',
      met,
      detail: `${s5.caughtUpWithin3s}/${s5.clients} within 3 s (p50 ${fmtMs(s5.caughtUp.p50)}, max ${fmtMs(s5.caughtUp.max)}; ${s5.neverCaughtUp} not caught up by the end), missed ${s5.missed} (${s5.missedByCaughtUp} by clients that had caught up), duplicates ${s5.duplicates}`,
    });
  }
  results.verdicts = verdicts;
  results.table = renderTable(rows);
  return { table: results.table, verdicts: renderVerdicts(verdicts) };
}

function writeOutputs() {
  results.finishedAt = new Date().toISOString();
  results.wallSeconds = Math.round((Date.now() - started) / 100) / 10;
  (results.machine as Record<string, unknown>).loadAvgAtEnd = os.loadavg().map((n) => Math.round(n * 100) / 100);
  const colors: Record<string, string> = { ours: '#1f77b4', B1: '#ff7f0e', B0: '#2ca02c' };
  const series = Object.entries(results.S1).map(([name, r]) => ({
    name: name === 'ours' ? 'ours (post:create)' : name === 'B1' ? 'B1 Socket.IO' : 'B0 raw ws',
    color: colors[name] ?? '#888',
    // The deciding attempt per rate (a failed step's re-run, when there was one).
    points: [...new Map(r.steps.map((s) => [s.rate, { rate: s.rate, p99: s.latency.p99, pass: !!s.pass }])).values()],
  }));
  if (series.length) {
    const title = `S1: one topic, ${WATCHERS} watchers (${os.cpus().length}-core VM, ${results.mode})`;
    fs.writeFileSync(path.join(RESULTS_DIR, 'latency-vs-rate.svg'), latencyChart(series, title));
  }
  const json = `${JSON.stringify(results, null, 2)}\n`;
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), json);
  // Every run is kept too: on a shared machine one run is one sample.
  fs.writeFileSync(path.join(RESULTS_DIR, `run-${results.startedAt.replace(/[:.]/g, '-')}.json`), json);
}

try {
  await main();
} catch (err) {
  results.errors.push(err instanceof Error ? err.stack ?? err.message : String(err));
  log(`ERROR ${results.errors.at(-1)}`);
}
const { table, verdicts } = report();
writeOutputs();
process.stdout.write(`\n${table}\n\nTargets:\n${verdicts}\n\n`);
process.stdout.write(`${results.mode} run, ${results.wallSeconds} s wall, ${os.cpus().length} cores, load avg at start ${(results.machine.loadAvgAtStart as number[]).join(' ')}; results in bench/results/latest.json\n`);
if (results.errors.length) process.stdout.write(`errors:\n${results.errors.join('\n')}\n`);
process.exit(results.errors.length ? 1 : 0);

function fmtMs(ms: number): string {
  return Number.isFinite(ms) ? `${Math.round(ms)} ms` : '–';
}

function fmtRatio(r: number | null): string {
  return r === null ? '–' : `${r.toFixed(2)}×`;
}
