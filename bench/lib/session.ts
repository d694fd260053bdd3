// Connect a target's posters and watchers, and measure what the idle watchers cost the server.
import type { LeanClient } from './lean-client.js';
import { DeliveryMeter } from './meter.js';
import { openPosters, openWatchers, type ClientKind, type Target, type Watcher } from './target.js';
import type { Session } from '../scenarios/stepped.js';
import { log } from './log.js';
import type { ServerStats } from '../servers/stats-ipc.js';

export interface Memory {
  /** Server RSS before the watchers connected, and with them connected and subscribed (after GC), MB. */
  rssBeforeMB: number;
  rssAfterMB: number;
  heapPerConnKB: number;
  heapTotalPerConnKB: number;
  externalPerConnKB: number;
  rssPerConnKB: number;
  connectMs: number;
  /**
   * With `idleRounds`: what one more idle connection costs, as the least-squares slope of
   * RSS (and heap used) over the connection counts measured after each round (the watchers,
   * then each round of as many more). Unlike rssPerConnKB it leaves out what the first
   * connections grow once (the young generation, compiled code, allocator arenas).
   */
  marginal?: { rssPerConnKB: number; heapPerConnKB: number; points: Array<{ conns: number; rssMB: number; heapMB: number }> };
}

export interface OpenSession extends Session {
  allPosters: LeanClient[];
  watchers: Watcher[];
  memory: Memory;
  closeWatchers(): void;
  close(): void;
}

let stepCounter = 0;
export const nextStep = () => ++stepCounter;

export async function openSession(
  target: Target,
  opts: { posters: number; watchers: number; topicFor?: (i: number) => string; topics?: string[]; kind: ClientKind; idleRounds?: number; idleFirstAccount?: number },
): Promise<OpenSession> {
  const topics = opts.topics ?? [target.server.info.topicIds[0]];
  const allPosters = await openPosters(target, opts.posters);
  const meter = new DeliveryMeter();
  const before = await target.server.stats({ gc: true });
  const t0 = Date.now();
  const watchers = await openWatchers(target, opts.watchers, opts.topicFor ?? (() => topics[0]), meter, opts.kind);
  const connectMs = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 1000));
  const after = await target.server.stats({ gc: true });
  const memory: Memory = {
    rssBeforeMB: round(before.rss / 2 ** 20),
    rssAfterMB: round(after.rss / 2 ** 20),
    rssPerConnKB: round((after.rss - before.rss) / opts.watchers / 1024),
    heapPerConnKB: round((after.heapUsed - before.heapUsed) / opts.watchers / 1024),
    heapTotalPerConnKB: round((after.heapTotal - before.heapTotal) / opts.watchers / 1024),
    externalPerConnKB: round((after.external - before.external) / opts.watchers / 1024),
    connectMs,
  };
  log(`  ${target.name}: ${opts.watchers} watchers connected and subscribed in ${connectMs} ms; RSS ${memory.rssBeforeMB} -> ${memory.rssAfterMB} MB (${memory.rssPerConnKB} KB/conn: heap used ${memory.heapPerConnKB}, heap total ${memory.heapTotalPerConnKB}, external ${memory.externalPerConnKB} KB/conn)`);
  if (opts.idleRounds) memory.marginal = await marginalCost(target, opts, after, topics[0]);
  const watchersPerTopic = Math.round(opts.watchers / topics.length);
  return {
    target,
    posters: allPosters,
    allPosters,
    meter,
    topics,
    watchersPerTopic,
    nextStep,
    watchers,
    memory,
    closeWatchers() {
      for (const w of watchers.splice(0)) w.close();
    },
    close() {
      for (const w of watchers.splice(0)) w.close();
      for (const p of allPosters) p.close();
    },
  };
}

/**
 * Open `idleRounds` more rounds of as many idle subscribed watchers (signed in as other
 * accounts, from `idleFirstAccount`), measure after each, then close them all again.
 */
async function marginalCost(target: Target, opts: { watchers: number; kind: ClientKind; idleRounds?: number; idleFirstAccount?: number }, first: ServerStats, topic: string): Promise<NonNullable<Memory['marginal']>> {
  const points = [{ conns: opts.watchers, rssMB: round(first.rss / 2 ** 20), heapMB: round(first.heapUsed / 2 ** 20) }];
  const extra: Watcher[] = [];
  try {
    for (let r = 1; r <= (opts.idleRounds ?? 0); r++) {
      extra.push(...(await openWatchers(target, opts.watchers, () => topic, new DeliveryMeter(), opts.kind, (opts.idleFirstAccount ?? opts.watchers) + (r - 1) * opts.watchers)));
      await new Promise((res) => setTimeout(res, 1000));
      const st = await target.server.stats({ gc: true });
      points.push({ conns: opts.watchers * (r + 1), rssMB: round(st.rss / 2 ** 20), heapMB: round(st.heapUsed / 2 ** 20) });
    }
  } finally {
    for (const w of extra) w.close();
  }
  await new Promise((res) => setTimeout(res, 2000)); // let the departures settle before anything is timed
  const perConnKB = (key: 'rssMB' | 'heapMB') => round(slope(points.map((p) => [p.conns, p[key] * 1024])));
  const marginal = { rssPerConnKB: perConnKB('rssMB'), heapPerConnKB: perConnKB('heapMB'), points };
  log(`  ${target.name}: one more idle connection costs ${marginal.rssPerConnKB} KB RSS, ${marginal.heapPerConnKB} KB heap (slope over ${points.map((p) => `${p.conns}: ${p.rssMB} MB`).join(', ')})`);
  return marginal;
}

/** Least-squares slope of y over x (0 with fewer than two points). */
export function slope(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den ? num / den : 0;
}

const round = (n: number) => Math.round(n * 10) / 10;
