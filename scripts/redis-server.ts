import { spawn, type ChildProcess } from 'node:child_process';

export interface RedisServer {
  url: string;
  port: number;
  /** The running redis-server's pid (changes after `restart`). */
  readonly pid: number | undefined;
  /** Stop it by pid (SIGTERM, then SIGKILL after 5 s) and wait for the exit; safe to call twice. */
  stop(): Promise<void>;
  /** Start it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
}

/**
 * A throwaway redis-server on loopback: no RDB snapshots, no AOF, so it writes nothing to
 * disk and a restart comes back empty (like a crashed cache). Resolves once it accepts
 * connections.
 */
export async function startRedisServer({ port, bin = 'redis-server' }: { port: number; bin?: string }): Promise<RedisServer> {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  async function start() {
    const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${output.slice(-1000)}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/ready to accept connections/i.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not run ${bin} (is redis-server installed? scripts/setup.sh installs it): ${err.message}`));
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}) on port ${port}:\n${output.slice(-1000)}`));
      });
    });
  }

  async function stop() {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    stop,
    async restart() {
      await stop();
      await start();
    },
  };
}
