// Starts each server under test as a child process and guarantees it is stopped by pid
// (with the database it started), whether the bench passes, fails or is interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerStats } from '../servers/stats-ipc.js';

const SERVERS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'servers');
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

/** Every pid we started and have not seen exit: killed on any way out of the process. */
const live = new Set<number>();
function killAll(signal: NodeJS.Signals) {
  for (const pid of live) {
    try {
      process.kill(pid, signal);
    } catch {
      live.delete(pid);
    }
  }
}
process.on('exit', () => killAll('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killAll('SIGKILL');
    process.exit(130);
  });
}

export interface ServerInfo {
  server: string;
  pid: number;
  port: number;
  forumId: string;
  topicIds: string[];
  posters?: string[];
  watchers?: string[];
  dbPid?: number | null;
  engine?: string;
}

export interface RunningServer {
  info: ServerInfo;
  url: string;
  stats(opts?: { gc?: boolean; resetEld?: boolean }): Promise<ServerStats>;
  /** Start, or stop and write to `file`, a CPU profile of the server (inspector, in-process). */
  profile(action: 'start' | 'stop', file?: string): Promise<void>;
  /** CPU time (µs, user+system) the server's database has used, when we know its pid. */
  dbCpuMicros(): number | null;
  stop(): Promise<void>;
}

/**
 * Spawn `bench/servers/<file>` with tsx (plus extra node flags, e.g. --cpu-prof) and wait for
 * its ready line.
 */
export async function startServer(file: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...nodeArgs, '--import', 'tsx', path.resolve(SERVERS_DIR, file)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const pid = child.pid;
  if (!pid) throw new Error(`could not start ${file}`);
  live.add(pid);
  let dbPid: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(pid);
      resolve();
    }),
  );

  const info = await new Promise<ServerInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} was not ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{"ready":true')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as ServerInfo);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready`));
    });
  }).catch(async (err) => {
    killPid(pid, 'SIGKILL');
    await exited;
    throw err;
  });
  if (info.dbPid) {
    dbPid = info.dbPid;
    live.add(dbPid);
  }

  let nextId = 1;
  const waiting = new Map<number, (s: ServerStats) => void>();
  const profiling = new Map<number, (error?: string) => void>();
  child.on('message', (msg: { type?: string; id: number; stats: ServerStats; error?: string }) => {
    if (msg?.type === 'stats') waiting.get(msg.id)?.(msg.stats);
    if (msg?.type === 'profile') profiling.get(msg.id)?.(msg.error);
    waiting.delete(msg?.id);
    profiling.delete(msg?.id);
  });

  let stopping: Promise<void> | undefined;
  return {
    info,
    url: `http://127.0.0.1:${info.port}`,
    stats: (opts = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error('server stats: no answer')), 30_000);
        waiting.set(id, (s) => {
          clearTimeout(timer);
          resolve(s);
        });
        child.send({ type: 'stats', id, ...opts });
      }),
    profile: (action, file) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        profiling.set(id, (error) => (error ? reject(new Error(error)) : resolve()));
        child.send({ type: 'profile', id, action, file });
      }),
    dbCpuMicros: () => (dbPid ? procCpuMicros(dbPid) : null),
    stop: () =>
      (stopping ??= (async () => {
        killPid(pid, 'SIGTERM');
        const timer = setTimeout(() => killPid(pid, 'SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
        if (dbPid) {
          // The server stops its database on SIGTERM; make sure, by pid.
          await waitGone(dbPid, STOP_GRACE_MS);
          killPid(dbPid, 'SIGKILL');
          live.delete(dbPid);
        }
      })()),
  };
}

function killPid(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitGone(pid: number, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** utime + stime of a process from /proc (Linux), in µs; null elsewhere. */
export function procCpuMicros(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of the full line
    return (ticks * 1e6) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}
