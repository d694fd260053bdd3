// Rate stepped up until p99 > the limit or deliveries fall short (S1, S2). Several servers
// climb together, interleaved step by step (ours, B1, B0 at 10/s, then all at 25/s...), so a
// burst of someone else's load on this shared machine falls on all of them alike.
import type { LeanClient } from '../lib/lean-client.js';
import type { DeliveryMeter } from '../lib/meter.js';
import { runStep, type StepResult } from '../lib/step.js';
import type { Target } from '../lib/target.js';
import { log } from '../lib/log.js';

export interface SteppedOptions {
  rates: number[];
  stepMs: number;
  drainMs: number;
  warmupMs: number;
  p99LimitMs: number;
  /** Share of expected deliveries that must arrive within the drain. */
  minDelivered: number;
}

export interface SteppedResult {
  steps: StepResult[];
  /** The fastest step that passed. */
  best: StepResult | null;
  /** The first step that failed (twice), and why. */
  failed: { rate: number; reason: string } | null;
}

export interface Session {
  target: Target;
  posters: LeanClient[];
  meter: DeliveryMeter;
  topics: string[];
  watchersPerTopic: number;
  nextStep: () => number;
}

export async function stepped(label: string, s: Session, opts: SteppedOptions): Promise<SteppedResult> {
  return (await steppedTogether(label, [s], opts))[0];
}

/** Climb every session's rate in turn; a session leaves the climb at its first failed rate. */
export async function steppedTogether(label: string, sessions: Session[], opts: SteppedOptions): Promise<SteppedResult[]> {
  const results: SteppedResult[] = sessions.map(() => ({ steps: [], best: null, failed: null }));
  if (opts.warmupMs > 0) {
    for (const s of sessions) await runStep(ctxOf(s), { step: s.nextStep(), rate: opts.rates[0], durationMs: opts.warmupMs, drainMs: opts.drainMs });
  }
  for (const rate of opts.rates) {
    const climbing = sessions.map((s, i) => [s, results[i]] as const).filter(([, r]) => !r.failed);
    if (!climbing.length) break;
    for (const [s, res] of climbing) {
      const r = await climb(label, s, rate, opts, res.steps);
      if (r.pass) res.best = r;
      else res.failed = { rate, reason: r.reasons.join('; ') };
    }
  }
  return results;
}

function ctxOf(s: Session) {
  return { target: s.target, posters: s.posters, meter: s.meter, topics: s.topics, watchersPerTopic: s.watchersPerTopic };
}

/** One rate for one server. A failing step is run once more before the climb stops (one burst of
 * someone else's work can fail a step on a shared 2-core machine); both attempts are kept. */
async function climb(label: string, s: Session, rate: number, opts: SteppedOptions, steps: StepResult[]): Promise<StepResult & { reasons: string[] }> {
  let out!: StepResult & { reasons: string[] };
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt === 2) await settle(s.meter);
    const r = await runStep(ctxOf(s), { step: s.nextStep(), rate, durationMs: opts.stepMs, drainMs: opts.drainMs });
    const reasons: string[] = [];
    if (!(r.latency.p99 <= opts.p99LimitMs)) reasons.push(`p99 ${r.latency.p99} ms > ${opts.p99LimitMs} ms`);
    if (r.deliveredRatio < opts.minDelivered) reasons.push(`delivered ${(r.deliveredRatio * 100).toFixed(2)}% < ${opts.minDelivered * 100}%`);
    const errors = Object.values(r.ackErrors).reduce((a, b) => a + b, 0);
    if (errors > 0) reasons.push(`${errors} post(s) refused: ${JSON.stringify(r.ackErrors)}`);
    r.pass = reasons.length === 0;
    r.attempt = attempt;
    steps.push(r);
    log(
      `  ${label} ${s.target.name.padEnd(4)} ${String(rate).padStart(4)} posts/s: p50 ${r.latency.p50} p99 ${r.latency.p99} ms, ` +
        `${r.deliveriesPerSec} deliv/s (${(r.deliveredRatio * 100).toFixed(1)}%), server cpu ${r.server.cpuPct}% (${r.server.cpuMicrosPerDelivery} µs/deliv), ` +
        `${r.db.cpuMicrosPerPost === null ? '' : `db cpu ${r.db.cpuPct}% (${(r.db.cpuMicrosPerPost / 1000).toFixed(1)} ms/post), `}` +
        `client cpu ${r.client.cpuPct}% (${r.client.cpuMicrosPerDelivery} µs/deliv), send lag p99 ${r.sendLag.p99} ms${r.pass ? '' : `  FAIL${attempt === 1 ? ' (will retry once)' : ''}: ${reasons.join('; ')}`}`,
    );
    out = Object.assign(r, { reasons });
    if (r.pass) break;
  }
  if (!out.pass) await settle(s.meter);
  return out;
}

/** After an overload, wait until late frames (posts or anything else) stop arriving (at most 20 s). */
export async function settle(meter: DeliveryMeter): Promise<void> {
  const deadline = Date.now() + 20_000;
  const count = () => meter.stale + meter.otherFrames;
  let last = count();
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < 500) {
    await new Promise((r) => setTimeout(r, 100));
    if (count() !== last) {
      last = count();
      quietSince = Date.now();
    }
  }
}
