import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Abuse limits lifted for spawned test/bench servers (override through `env`). */
export const SPAWN_LIMITS = { RATE_REST_POINTS: '1000000', RATE_SOCKET_POINTS: '10000', MAX_CONNECTIONS_PER_IP: '10000', FLOOD_INTERVAL_MS: '0' };

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Kill by pid with a signal and wait for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Start `server/main.ts` as a real process (node with tsx's loader, so a SIGKILL hits the
 * server itself, not a wrapper). Resolves once it logs that it listens.
 */
export async function spawnServer(env: Record<string, string>, port: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', SEED_DEMO: 'never', PASSWORD_HASH_MEMORY_KIB: '1024', HOST: '127.0.0.1', PORT: String(port), ...SPAWN_LIMITS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('forum listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${output.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
