// Connect a target's posters and watchers, and measure what the idle watchers cost the server.
import type { LeanClient } from './lean-client.js';
import { DeliveryMeter } from './meter.js';
import { openPosters, openWatchers, type ClientKind, type Target, type Watcher } from './target.js';
import type { Session } from '../scenarios/stepped.js';
import { log } from './log.js';

export interface Memory {
  /** Server RSS before the watchers connected, and with them connected and subscribed (after GC), MB. */
  rssBeforeMB: number;
  rssAfterMB: number;
  heapPerConnKB: number;
  heapTotalPerConnKB: number;
  externalPerConnKB: number;
  rssPerConnKB: number;
  connectMs: number;
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

export async function openSession(target: Target, opts: { posters: number; watchers: number; topicFor?: (i: number) => string; topics?: string[]; kind: ClientKind }): Promise<OpenSession> {
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

const round = (n: number) => Math.round(n * 10) / 10;
