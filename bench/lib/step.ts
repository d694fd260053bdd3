// One measured step: posts sent at a fixed rate (open loop) or by posters that each wait for
// their ack (closed loop), then a drain; latencies from intended send times, and the server's
// CPU, event-loop delay and memory over the same window.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { LeanClient } from './lean-client.js';
import { DeliveryMeter, clientProbe } from './meter.js';
import { newHistogram, recordUs, summarize, type LatencySummary } from './histogram.js';
import { nowUs, stampedBody } from './stamp.js';
import type { Target } from './target.js';

const RUN_TAG = randomBytes(3).toString('hex');

export interface StepSpec {
  step: number;
  /** Posts per second (open loop), or 0 for closed loop (each poster waits for its ack). */
  rate: number;
  durationMs: number;
  drainMs: number;
}

export interface StepResult {
  rate: number;
  durationMs: number;
  postsSent: number;
  postsOk: number;
  ackErrors: Record<string, number>;
  /** Indexes of the posts that were refused or never acknowledged. */
  notStored: number[];
  expected: number;
  deliveries: number;
  deliveredRatio: number;
  postsPerSec: number;
  deliveriesPerSec: number;
  latency: LatencySummary;
  ack: LatencySummary;
  /** How late the generator sent each post after its intended time: its own delay, counted in every latency. */
  sendLag: LatencySummary;
  server: { cpuMicros: number; cpuPct: number; cpuMicrosPerDelivery: number; eldP99Ms: number; eldMaxMs: number; rssMB: number };
  /** The database's CPU over the step (% of one core), when its pid is known. */
  db: { cpuMicros: number | null; cpuPct: number | null; cpuMicrosPerPost: number | null };
  /** Wall time of the step, drain included. */
  wallMs: number;
  client: { cpuPct: number; cpuMicrosPerDelivery: number; eldP99Ms: number };
  /** The machine's 1-minute load average when the step ended (others share this machine). */
  loadAvg1: number;
  pass?: boolean;
  /** 1, or 2 for the re-run of a failed step. */
  attempt?: number;
}

export interface StepContext {
  target: Target;
  posters: LeanClient[];
  meter: DeliveryMeter;
  topics: string[];
  /** Watchers on each topic (deliveries expected per post). */
  watchersPerTopic: number;
}

export async function runStep(ctx: StepContext, spec: StepSpec): Promise<StepResult> {
  const { target, posters, meter, topics } = ctx;
  const maxPosts = spec.rate > 0 ? Math.ceil((spec.rate * spec.durationMs) / 1000) : 200_000;
  const before = await target.server.stats({ resetEld: true });
  const db0 = target.server.dbCpuMicros();
  const probe = clientProbe();
  meter.begin(spec.step, maxPosts);
  const ackHist = newHistogram();
  const lagHist = newHistogram();
  const ackErrors: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let answered = 0;
  const acked = new Uint8Array(maxPosts);

  const post = (i: number, intendedUs: number, then?: () => void) => {
    const payload = { topicId: topics[i % topics.length], body: stampedBody(spec.step, i, intendedUs), clientId: `${RUN_TAG}-${spec.step}-${i}` };
    sent++;
    recordUs(lagHist, nowUs() - intendedUs);
    posters[i % posters.length].send('post:create', payload, (answer) => {
      answered++;
      if (answer.ok) {
        ok++;
        acked[i] = 1;
        recordUs(ackHist, nowUs() - intendedUs);
      } else {
        const code = answer.error?.code ?? 'UNKNOWN';
        ackErrors[code] = (ackErrors[code] ?? 0) + 1;
      }
      then?.();
    });
  };

  const t0 = nowUs() + 2_000;
  if (spec.rate > 0) await openLoop(spec, t0, post);
  else await closedLoop(spec, posters.length, post);

  // Drain: every ack back and every expected delivery in, or the drain time is up.
  const drainEnd = Date.now() + spec.drainMs;
  while (Date.now() < drainEnd && (answered < sent || meter.deliveries < ok * ctx.watchersPerTopic)) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const windowMs = spec.durationMs;
  meter.end();
  const client = probe();
  const after = await target.server.stats();
  const db1 = target.server.dbCpuMicros();

  const expected = ok * ctx.watchersPerTopic;
  const cpuMicros = after.cpu.user + after.cpu.system - (before.cpu.user + before.cpu.system);
  const dbCpu = db0 !== null && db1 !== null ? db1 - db0 : null;
  return {
    rate: spec.rate > 0 ? spec.rate : Math.round((ok / windowMs) * 1000),
    durationMs: spec.durationMs,
    postsSent: sent,
    postsOk: ok,
    ackErrors,
    notStored: Array.from({ length: sent }, (_, i) => i).filter((i) => !acked[i]),
    expected,
    deliveries: meter.deliveries,
    deliveredRatio: expected ? meter.deliveries / expected : 0,
    postsPerSec: round((ok / windowMs) * 1000),
    deliveriesPerSec: Math.round((meter.deliveries / windowMs) * 1000),
    latency: summarize(meter.hist),
    ack: summarize(ackHist),
    sendLag: summarize(lagHist),
    server: {
      cpuMicros,
      cpuPct: round((cpuMicros / 1000 / client.wallMs) * 100),
      cpuMicrosPerDelivery: meter.deliveries ? round(cpuMicros / meter.deliveries, 2) : NaN,
      eldP99Ms: round(after.eld.p99),
      eldMaxMs: round(after.eld.max),
      rssMB: round(after.rss / 2 ** 20),
    },
    db: { cpuMicros: dbCpu, cpuPct: dbCpu === null ? null : round((dbCpu / 1000 / client.wallMs) * 100), cpuMicrosPerPost: dbCpu !== null && ok ? Math.round(dbCpu / ok) : null },
    wallMs: Math.round(client.wallMs),
    loadAvg1: round(os.loadavg()[0], 2),
    client: { cpuPct: client.cpuPct, cpuMicrosPerDelivery: meter.deliveries ? round(client.cpuMicros / meter.deliveries, 2) : NaN, eldP99Ms: round(client.eldP99Ms) },
  };
}

/** Post i goes out at t0 + i/rate, stamped with that intended time even if the loop runs late. */
function openLoop(spec: StepSpec, t0: number, post: (i: number, intendedUs: number) => void): Promise<void> {
  const total = Math.round((spec.rate * spec.durationMs) / 1000);
  const gapUs = 1e6 / spec.rate;
  let i = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = nowUs();
      while (i < total && t0 + i * gapUs <= now) {
        post(i, t0 + i * gapUs);
        i++;
      }
      if (i >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
}

/** Each poster keeps one post in flight for the duration: the most the full path sustains. */
function closedLoop(spec: StepSpec, posters: number, post: (i: number, intendedUs: number, then: () => void) => void): Promise<void> {
  const end = nowUs() + spec.durationMs * 1000;
  let i = 0;
  return new Promise((resolve) => {
    let running = posters;
    const next = () => {
      if (nowUs() >= end) {
        if (--running === 0) resolve();
        return;
      }
      post(i++, nowUs(), next);
    };
    for (let p = 0; p < posters; p++) next();
  });
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
