// S4: presence churn. While the watchers follow the topic and posts arrive at a steady rate,
// other members join and leave the topic at a fixed rate (topic:subscribe / topic:unsubscribe).
// Measured: how long until a join or leave shows in the presence:topic the watchers get, what
// the presence pushes cost (frames and bytes at the watchers), and post latency meanwhile.
import { connectLean, connectMany, type LeanClient } from '../lib/lean-client.js';
import { newHistogram, recordUs, summarize, type LatencySummary } from '../lib/histogram.js';
import { nowUs } from '../lib/stamp.js';
import { runStep, type StepResult } from '../lib/step.js';
import type { OpenSession } from '../lib/session.js';

export interface ChurnOptions {
  churners: number;
  /** Joins plus leaves per second. */
  opsPerSec: number;
  postRate: number;
  durationMs: number;
  drainMs: number;
}

export interface ChurnResult {
  opsSent: number;
  opsOk: number;
  opErrors: Record<string, number>;
  ack: LatencySummary;
  /** From a join/leave to the first presence:topic showing it, at one observing watcher. */
  propagation: LatencySummary;
  /** Joins/leaves never shown (superseded by the same user's next change, or lost). */
  notShown: number;
  presenceFramesPerSec: number;
  presenceMBPerSec: number;
  presenceFrameKB: number;
  posts: StepResult;
}

/** Churners use the seeded accounts after the session's own watchers (`churner_<i>`, named to sort first). */
export async function presenceChurn(s: OpenSession, firstChurner: number, opts: ChurnOptions): Promise<ChurnResult> {
  const topicId = s.topics[0];
  const tokens = s.target.server.info.watchers ?? [];
  const churners = await connectMany(opts.churners, 50, (i) => connectLean(s.target.server.url, s.target.wire, tokens[firstChurner + i]));
  const names = churners.map((_, i) => `churner_${firstChurner + i}`);

  // One observer reads the presence pushes in full.
  const observer: LeanClient = await connectLean(s.target.server.url, s.target.wire, tokens[0]);
  const pending = new Map<string, { join: boolean; atUs: number }>();
  const propagation = newHistogram();
  let notShown = 0;
  observer.onEvent = (frame) => {
    if (frame.indexOf('["presence:topic"') !== 2) return;
    const [, data] = JSON.parse(frame.subarray(2).toString()) as [string, { topicId: string; viewers: Array<{ username: string }> }];
    if (data.topicId !== topicId) return;
    const viewing = new Set(data.viewers.map((v) => v.username));
    const t = nowUs();
    for (const [name, op] of pending) {
      if (viewing.has(name) === op.join) {
        recordUs(propagation, t - op.atUs);
        pending.delete(name);
      }
    }
  };
  const subscribed = await observer.request('topic:subscribe', { topicId }, 60_000);
  if (!subscribed.ok) throw new Error(`observer subscribe refused: ${JSON.stringify(subscribed)}`);
  await new Promise((r) => setTimeout(r, 600));

  const frames0 = s.meter.otherFrames;
  const bytes0 = s.meter.otherBytes;
  const ack = newHistogram();
  const opErrors: Record<string, number> = {};
  const joined = new Uint8Array(opts.churners);
  let sent = 0;
  let ok = 0;
  let answered = 0;
  const total = Math.round((opts.opsPerSec * opts.durationMs) / 1000);
  const gapUs = 1e6 / opts.opsPerSec;
  const t0 = nowUs();
  const churn = setInterval(() => {
    const now = nowUs();
    while (sent < total && t0 + sent * gapUs <= now) {
      const intended = t0 + sent * gapUs;
      const c = sent % opts.churners;
      const join = !joined[c];
      joined[c] = join ? 1 : 0;
      if (pending.has(names[c])) notShown++;
      pending.set(names[c], { join, atUs: intended });
      sent++;
      churners[c].send(join ? 'topic:subscribe' : 'topic:unsubscribe', { topicId }, (answer) => {
        answered++;
        if (answer.ok) {
          ok++;
          recordUs(ack, nowUs() - intended);
        } else {
          const code = answer.error?.code ?? 'UNKNOWN';
          opErrors[code] = (opErrors[code] ?? 0) + 1;
        }
      });
    }
    if (sent >= total) clearInterval(churn);
  }, 1);

  const posts = await runStep(s, { step: s.nextStep(), rate: opts.postRate, durationMs: opts.durationMs, drainMs: opts.drainMs });
  clearInterval(churn);
  const drainEnd = Date.now() + opts.drainMs;
  while (answered < sent && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 600)); // the last trailing presence push
  notShown += pending.size;
  const frames = s.meter.otherFrames - frames0;
  const bytes = s.meter.otherBytes - bytes0;
  const seconds = opts.durationMs / 1000;
  for (const c of churners) c.close();
  observer.close();
  return {
    opsSent: sent,
    opsOk: ok,
    opErrors,
    ack: summarize(ack),
    propagation: summarize(propagation),
    notShown,
    presenceFramesPerSec: Math.round(frames / seconds),
    presenceMBPerSec: Math.round((bytes / seconds / 2 ** 20) * 10) / 10,
    presenceFrameKB: frames ? Math.round((bytes / frames / 1024) * 10) / 10 : 0,
    posts,
  };
}
