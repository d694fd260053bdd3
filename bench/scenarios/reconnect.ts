// S5: a reconnect storm. Every watcher is a real SDK client (client/sdk: it resubscribes with
// sinceSeq and replays what it missed); all of them lose their connection at once while posts
// keep coming. Measured: time from the drop to caught up (the SDK back in state 'connected'
// after its catch-up), posts missed and posts delivered twice to the application.
import { connect, type ForumClient } from '../../client/sdk/index.js';
import { connectMany } from '../lib/lean-client.js';
import { DeliveryMeter } from '../lib/meter.js';
import { newHistogram, recordUs, summarize, type LatencySummary } from '../lib/histogram.js';
import { nowUs, stampFromString } from '../lib/stamp.js';
import { runStep, type StepResult } from '../lib/step.js';
import type { Session } from './stepped.js';
import { log } from '../lib/log.js';

export interface ReconnectOptions {
  clients: number;
  rate: number;
  durationMs: number;
  /** When the storm starts, after posting began. */
  dropAtMs: number;
  /** Drops are spread over this window (0: all at once). */
  dropWindowMs: number;
  drainMs: number;
  /** After the drain, how long clients still catching up are waited for before judging. */
  settleMs: number;
}

export interface ReconnectResult {
  /** Which clients: the SDK (client/sdk) or the generator's lean clients doing the same catch-up. */
  client: 'sdk' | 'lean';
  clients: number;
  connectMs: number;
  rate: number;
  step: StepResult;
  caughtUp: LatencySummary;
  caughtUpWithin3s: number;
  neverCaughtUp: number;
  /** Posts missing at clients that had not caught up when the scenario ended. */
  missed: number;
  /** Posts missing at clients that had caught up: a gap in the catch-up itself (must be 0). */
  missedByCaughtUp: number;
  duplicates: number;
  clientsMissing: number;
  /** Reconnect or resubscribe attempts that failed and were retried. */
  reconnectFailures: number;
  failureReasons?: Record<string, number>;
  /** SDK clients that could not connect and subscribe before the storm (left out of it). */
  setupFailures?: number;
}

/** What each storm client recorded: which posts it delivered (by stamp index), and when it dropped and caught up. */
export interface CatchUpRecord {
  seen: Uint8Array;
  dropAtUs: number;
  /** 0: never caught up. */
  caughtUpUs: number;
  duplicates: number;
}

/** The storm's verdict from every client's record: time to caught up, and posts missed or delivered twice. */
export function tallyCatchUp(tracked: CatchUpRecord[], result: StepResult) {
  const caught = newHistogram();
  let within = 0;
  let never = 0;
  let missed = 0;
  let duplicates = 0;
  let clientsMissing = 0;
  let missedByCaughtUp = 0;
  const stored = new Uint8Array(result.postsSent).fill(1);
  for (const i of result.notStored) stored[i] = 0;
  for (const t of tracked) {
    if (!t.caughtUpUs) never++;
    else {
      recordUs(caught, t.caughtUpUs - t.dropAtUs);
      if (t.caughtUpUs - t.dropAtUs <= 3_000_000) within++;
    }
    let m = 0;
    for (let i = 0; i < result.postsSent; i++) if (stored[i] && !t.seen[i]) m++;
    missed += m;
    if (m) clientsMissing++;
    if (t.caughtUpUs) missedByCaughtUp += m;
    duplicates += t.duplicates;
  }
  return { caughtUp: summarize(caught), caughtUpWithin3s: within, neverCaughtUp: never, missed, duplicates, clientsMissing, missedByCaughtUp };
}

interface Tracked extends CatchUpRecord {
  client: ForumClient;
}

export async function reconnectStorm(s: Session, opts: ReconnectOptions): Promise<ReconnectResult> {
  const topicId = s.topics[0];
  const step = s.nextStep();
  const maxPosts = Math.ceil((opts.rate * opts.durationMs) / 1000);
  const meter = new DeliveryMeter();
  const tokens = s.target.server.info.watchers ?? [];

  const started = Date.now();
  let setupFailures = 0;
  const all = await connectMany(opts.clients, 50, async (i): Promise<Tracked | null> => {
    const client = connect({ url: s.target.server.url, token: tokens[i], ackTimeoutMs: 30_000, socket: { forceNew: true } });
    const t: Tracked = { client, seen: new Uint8Array(maxPosts), dropAtUs: 0, caughtUpUs: 0, duplicates: 0 };
    try {
      await client.ready();
    } catch {
      setupFailures++;
      client.close();
      return null;
    }
    const sub = await client.subscribeTopic(topicId, {
      'post:created': (e) => {
        const stamp = stampFromString(e.post.body);
        if (!stamp || stamp.step !== step || stamp.index >= maxPosts) return;
        if (t.seen[stamp.index]++) t.duplicates++;
        else meter.onStamp(stamp);
      },
    }).catch(() => null);
    if (!sub) {
      setupFailures++;
      client.close();
      return null;
    }
    client.onState((state) => {
      if (state === 'connected' && t.dropAtUs && !t.caughtUpUs) t.caughtUpUs = nowUs();
    });
    return t;
  });
  const tracked = all.filter((t): t is Tracked => t !== null);
  const connectMs = Date.now() - started;
  log(`  S5 ours: ${opts.clients} SDK clients connected and subscribed in ${connectMs} ms`);

  // The storm: each client's transport is closed as a network failure would (the SDK reconnects).
  const timers = tracked.map((t, i) =>
    setTimeout(() => {
      t.dropAtUs = nowUs();
      t.client.socket.io.engine?.close();
    }, opts.dropAtMs + (opts.dropWindowMs * i) / tracked.length),
  );

  const result = await runStep(
    { target: s.target, posters: s.posters, meter, topics: [topicId], watchersPerTopic: tracked.length },
    { step, rate: opts.rate, durationMs: opts.durationMs, drainMs: opts.drainMs },
  );
  for (const timer of timers) clearTimeout(timer);
  // Clients still catching up get `settleMs` more; then every stored post must be there.
  const settleEnd = Date.now() + opts.settleMs;
  const ok = Array.from({ length: result.postsSent }, (_, i) => i).filter((i) => !result.notStored.includes(i));
  while (Date.now() < settleEnd && tracked.some((t) => !t.caughtUpUs || ok.some((i) => !t.seen[i]))) await new Promise((r) => setTimeout(r, 100));

  const tally = tallyCatchUp(tracked, result);
  for (const t of tracked) t.client.close();
  return { client: 'sdk', reconnectFailures: 0, setupFailures, clients: tracked.length, connectMs, rate: opts.rate, step: result, ...tally };
}
