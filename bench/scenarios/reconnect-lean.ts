// S5 on the generator's lean clients (quick mode: it reuses the 1,000 connections S1 opened
// instead of opening 1,000 more). Each watcher does what the SDK does on reconnect: connect,
// `topic:subscribe` with `sinceSeq` = the last seq it delivered, replay `missed` page by page,
// and drop live events it already has (by seq). Same measures as the SDK variant.
import { connectLean } from '../lib/lean-client.js';
import { DeliveryMeter } from '../lib/meter.js';
import { nowUs, stampFromBuffer, stampFromString } from '../lib/stamp.js';
import { runStep } from '../lib/step.js';
import type { OpenSession } from '../lib/session.js';
import { tallyCatchUp, type CatchUpRecord, type ReconnectOptions, type ReconnectResult } from './reconnect.js';

const SEQ = Buffer.from('"seq":');

interface Tracked extends CatchUpRecord {
  /** Highest seq delivered in order (the resume point). */
  position: number;
  /** Seqs above `position` already delivered (a live event ahead of the replay). */
  ahead: Set<number>;
  reconnectFailures: number;
}

export async function reconnectStormLean(s: OpenSession, opts: ReconnectOptions): Promise<ReconnectResult> {
  const step = s.nextStep();
  const maxPosts = Math.ceil((opts.rate * opts.durationMs) / 1000);
  const meter = new DeliveryMeter();
  const watchers = s.watchers.slice(0, opts.clients);
  const topicId = watchers[0].topicId;

  // Everyone's position: the topic's seq now (nothing is posted until the step starts).
  const probe = await s.allPosters[0].request('topic:subscribe', { topicId });
  if (!probe.ok) throw new Error(`subscribe refused: ${JSON.stringify(probe)}`);
  const start: number = probe.data.seq;

  const tracked: Tracked[] = watchers.map(() => ({ seen: new Uint8Array(maxPosts), position: start, ahead: new Set(), dropAtUs: 0, caughtUpUs: 0, duplicates: 0, reconnectFailures: 0 }));

  /** An event (live or replayed) for watcher w: delivered once per seq, in any arrival order. */
  const deliver = (t: Tracked, seq: number, stamp: ReturnType<typeof stampFromString>) => {
    if (seq <= t.position || t.ahead.has(seq)) return; // a repeat on the wire: the client drops it
    if (seq === t.position + 1) {
      t.position = seq;
      while (t.ahead.delete(t.position + 1)) t.position++;
    } else t.ahead.add(seq);
    if (!stamp || stamp.step !== step || stamp.index >= maxPosts) return;
    if (t.seen[stamp.index]++) t.duplicates++;
    else meter.onStamp(stamp);
  };
  const onLive = (t: Tracked) => (frame: Buffer) => {
    const at = frame.indexOf(SEQ);
    if (at < 0) return;
    let seq = 0;
    for (let i = at + SEQ.length; frame[i] >= 48 && frame[i] <= 57; i++) seq = seq * 10 + (frame[i] - 48);
    deliver(t, seq, stampFromBuffer(frame));
  };
  watchers.forEach((w, i) => {
    if (!w.client) throw new Error('S5 (lean) needs lean watchers');
    w.client.onEvent = onLive(tracked[i]);
  });

  let stopped = false;
  async function reconnect(w: (typeof watchers)[number], t: Tracked): Promise<void> {
    for (let attempt = 0; !stopped; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(2000, 200 * 2 ** attempt) * (0.5 + Math.random())));
      if (stopped) return;
      try {
        const c = await connectLean(s.target.server.url, s.target.wire, w.token, 20_000);
        w.client = c;
        if (stopped) return;
        c.onEvent = onLive(t);
        for (;;) {
          const answer = await c.request('topic:subscribe', { topicId, sinceSeq: t.position }, 20_000);
          if (!answer.ok) throw new Error(answer.error?.code);
          const data = answer.data as { seq: number; missed?: Array<{ data: { seq: number; post?: { body: string } } }>; more?: boolean; resync?: boolean };
          for (const e of data.missed ?? []) deliver(t, e.data.seq, e.data.post ? stampFromString(e.data.post.body) : null);
          if (data.resync) throw new Error('resync');
          // No more pages: caught up (as the SDK does; a seq claimed but not yet stored comes live).
          if (!data.more) break;
        }
        t.caughtUpUs = nowUs();
        return;
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        failureReasons[why] = (failureReasons[why] ?? 0) + 1;
        t.reconnectFailures++;
        w.client?.drop();
      }
    }
  }

  const pending: Promise<void>[] = [];
  const failureReasons: Record<string, number> = {};
  const timers = watchers.map((w, i) =>
    setTimeout(() => {
      const t = tracked[i];
      t.dropAtUs = nowUs();
      w.client?.drop();
      pending.push(reconnect(w, t));
    }, opts.dropAtMs + (opts.dropWindowMs * i) / watchers.length),
  );

  const result = await runStep(
    { target: s.target, posters: s.allPosters.slice(0, 4), meter, topics: [topicId], watchersPerTopic: watchers.length },
    { step, rate: opts.rate, durationMs: opts.durationMs, drainMs: opts.drainMs },
  );
  for (const timer of timers) clearTimeout(timer);
  // Clients still catching up get `settleMs` more; then every stored post must be there.
  const settleEnd = Date.now() + opts.settleMs;
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, opts.settleMs))]);
  const ok = new Set(Array.from({ length: result.postsSent }, (_, i) => i));
  for (const i of result.notStored) ok.delete(i);
  while (Date.now() < settleEnd && tracked.some((t) => [...ok].some((i) => !t.seen[i]))) await new Promise((r) => setTimeout(r, 100));
  stopped = true; // stragglers stop retrying; the scenarios that follow get what reconnected
  // Hand the (new) connections back to the session's meter for the scenarios that follow.
  for (const w of watchers) if (w.client) w.client.onEvent = s.meter.onFrame;

  const failures = tracked.reduce((n, t) => n + t.reconnectFailures, 0);
  return {
    client: 'lean',
    clients: watchers.length,
    connectMs: 0,
    rate: opts.rate,
    step: result,
    ...tallyCatchUp(tracked, result),
    reconnectFailures: failures,
    failureReasons: { ...failureReasons }, // attempts still running go on failing after this
  };
}
