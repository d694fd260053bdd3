// Bench-only: lets the load generator (the parent process) read this server's CPU, memory and
// event-loop delay over the IPC channel, and tells it when and where the server is listening.
// Nothing here is reachable by a network client.
import fs from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ServerStats {
  /** process.cpuUsage() in microseconds since start. */
  cpu: { user: number; system: number };
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the JS heap that JS objects hold (Buffers and ArrayBuffers included). */
  external: number;
  /** Event-loop delay since the last reset, in ms. */
  eld: { p50: number; p99: number; max: number; mean: number };
  connections: number;
}

type StatsRequest = { type: 'stats'; id: number; gc?: boolean; resetEld?: boolean };
type ProfileRequest = { type: 'profile'; id: number; action: 'start' | 'stop'; file?: string };

/** Answer `{type:'stats'}` messages from the parent. `connections` counts open client connections. */
export function serveStats(connections: () => number): void {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const gc = (globalThis as { gc?: () => void }).gc;
  let inspector: Session | null = null;
  process.on('message', (raw: unknown) => {
    const msg = raw as StatsRequest | ProfileRequest;
    if (msg?.type === 'profile') return void profile(msg);
    if (!msg || msg.type !== 'stats' || !process.send) return;
    if (msg.gc && gc) {
      gc();
      gc();
    }
    const mem = process.memoryUsage();
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    const stats: ServerStats = {
      cpu: process.cpuUsage(),
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      eld: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max), mean: ms(eld.mean) },
      connections: connections(),
    };
    if (msg.resetEld) eld.reset();
    process.send({ type: 'stats', id: msg.id, stats });
  });
  /** A V8 CPU profile of exactly the window the parent asks for (e.g. S1's steps). */
  function profile(msg: ProfileRequest) {
    const done = (error?: string) => process.send?.({ type: 'profile', id: msg.id, error });
    if (msg.action === 'start') {
      inspector = new Session();
      inspector.connect();
      inspector.post('Profiler.enable', () => inspector!.post('Profiler.setSamplingInterval', { interval: 500 }, () => inspector!.post('Profiler.start', () => done())));
      return;
    }
    if (!inspector) return done('not profiling');
    inspector.post('Profiler.stop', (err, result) => {
      if (err) return done(String(err));
      fs.writeFileSync(msg.file!, JSON.stringify(result.profile));
      inspector?.disconnect();
      inspector = null;
      done();
    });
  }

  // The parent went away (crash, SIGKILL): never linger as an orphan.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** The one line on stdout that the parent waits for. */
export function announce(info: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, ...info })}\n`);
}
