// Development cluster: `npm run cluster -- --nodes 3 [--port 3000]`.
// Starts Redis, the database once, N server nodes on loopback ports and a round-robin load
// balancer in front of them; Ctrl-C stops every child by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { launchDatabase, type LaunchedDatabase } from '../server/db/launcher.js';
import { startLoadBalancer, type LoadBalancer } from './load-balancer.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { SERVER_NODE_FLAGS } from '../server/node-flags.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Node {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Start `server/main.ts` as node `name`; resolves once it listens. Its output is prefixed with its name. */
function startNode(name: string, port: number, env: Record<string, string>): Promise<Node> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let ready = false;
    const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          out.write(`[${name}] ${line}\n`);
          if (!ready && line.includes('forum listening')) {
            ready = true;
            resolve({ name, url: `http://127.0.0.1:${port}`, child });
          }
        }
      });
    };
    relay(child.stdout!, process.stdout);
    relay(child.stderr!, process.stderr);
    child.once('exit', (code, signal) => {
      if (!ready) reject(new Error(`${name} exited before listening (${signal ?? code})`));
      else if (!stopping) say(`${name} exited (${signal ?? code}); the load balancer skips it`);
    });
  });
}

const children = new Set<ChildProcess>();
let stopping = false;
let redis: RedisServer | null = null;
let db: LaunchedDatabase | null = null;
let balancer: LoadBalancer | null = null;

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping');
  await balancer?.close();
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await redis?.stop();
  redis = null;
  await db?.stop();
  process.exit(code);
}

async function main() {
  const { values } = parseArgs({
    options: { nodes: { type: 'string', default: '3' }, port: { type: 'string', default: process.env.PORT ?? '3000' } },
  });
  const count = Number(values.nodes);
  const lbPort = Number(values.port);
  if (!Number.isInteger(count) || count < 1 || count > 32) throw new Error('--nodes must be a whole number from 1 to 32');
  if (!Number.isInteger(lbPort) || lbPort < 0 || lbPort > 65535) throw new Error('--port must be a port number');

  redis = await startRedisServer({ port: await freePort() });
  say(`redis-server pid ${redis.pid} at ${redis.url}`);
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: { scope: 'cluster' } });
  db = await launchDatabase({ logger, mongodbUri: process.env.MONGODB_URI || undefined, dataDir: process.env.DATA_DIR ?? '.data/ferretdb' });
  say(`database (${db.engine}) at ${db.uri}`);

  let jwtSecret = process.env.JWT_SECRET;
  if (!jwtSecret) {
    jwtSecret = randomBytes(24).toString('hex');
    say('JWT_SECRET not set: the nodes share a random one for this run (sign in again after a restart)');
  }
  const shared = { MONGODB_URI: db.uri, REDIS_URL: redis.url, JWT_SECRET: jwtSecret };

  // Node 1 alone first: it seeds the demo board (if asked and the database is empty) before the others start.
  const nodes: Node[] = [await startNode('node1', await freePort(), { ...shared, SEED_DEMO: process.env.SEED_DEMO ?? 'auto' })];
  const ports = await Promise.all(Array.from({ length: count - 1 }, () => freePort()));
  nodes.push(...(await Promise.all(ports.map((p, i) => startNode(`node${i + 2}`, p, { ...shared, SEED_DEMO: 'never' })))));

  balancer = await startLoadBalancer({ port: lbPort, backends: nodes.map((n) => ({ host: '127.0.0.1', port: Number(new URL(n.url).port) })) });
  say(`${count} node(s), Redis, one database. Open ${balancer.url} (round robin, WebSocket-only clients need no sticky sessions)`);
  for (const n of nodes) say(`  ${n.name}: ${n.url} (pid ${n.child.pid})`);
  say(`SDK with failover: connect({ url: [${nodes.map((n) => `'${n.url}'`).join(', ')}] })`);
  say('Ctrl-C stops everything');
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
// Last resort (an exception, process.exit elsewhere): no child outlives the launcher.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const pid = redis?.pid;
  if (pid) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

main().catch((err) => {
  process.stderr.write(`[cluster] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  void stopAll(1);
});
