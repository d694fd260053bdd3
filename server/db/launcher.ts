// Gives the server (and the tests) a MongoDB-compatible database without asking the
// developer to install one. Order: an explicit URI, then a real mongod through
// mongodb-memory-server (only if a binary is at hand or can be downloaded), then FerretDB
// on SQLite, built from source by scripts/ferretdb.mjs.
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { ensureFerretdb } from '../../scripts/ferretdb.mjs';

export type DatabaseEngine = 'external' | 'mongod' | 'ferretdb';

export interface LaunchedDatabase {
  /**
   * Server URI. Ours have no database path (`mongodb://127.0.0.1:PORT/`); an external one is
   * passed through as given (its path may set authSource), so choose the database with
   * mongoose's `dbName` option rather than by appending to the URI.
   */
  uri: string;
  engine: DatabaseEngine;
  /** Stops the database if we started it; safe to call twice. */
  stop(): Promise<void>;
}

export interface LaunchDatabaseOptions {
  logger: Logger;
  /** Use this server and start nothing. */
  mongodbUri?: string;
  /** Keep the data here (created if missing, never removed); default: a temp dir removed on stop. */
  dataDir?: string;
}

const MONGO_DOWNLOAD_HOST = 'fastdl.mongodb.org';
const DNS_TIMEOUT_MS = 300;
const FERRETDB_READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

/**
 * Gives a MongoDB-compatible server: `opts.mongodbUri` as is, else a local or downloadable mongod
 * (mongodb-memory-server), else FerretDB on SQLite. Offline without mongod, FerretDB is up in
 * ~70 ms (plus a one-time build of ~1 min).
 * @example const db = await launchDatabase({ logger }); ...; await db.stop();
 */
export async function launchDatabase(opts: LaunchDatabaseOptions): Promise<LaunchedDatabase> {
  const logger = opts.logger.child({ component: 'db-launcher' });

  if (opts.mongodbUri) {
    logger.info({ engine: 'external', uri: redactUri(opts.mongodbUri) }, 'using external MongoDB');
    return { uri: opts.mongodbUri, engine: 'external', stop: async () => {} };
  }

  const mongod = await startMongod(logger, opts.dataDir);
  if (mongod) return mongod;

  return startFerretdb(logger, opts.dataDir);
}

// ---------------------------------------------------------------------------------------------
// mongod through mongodb-memory-server

/**
 * Starts mongod only when that cannot hang: a binary is already on disk, or the download host
 * resolves. Offline this returns `undefined` in milliseconds instead of waiting for a download.
 */
async function startMongod(logger: Logger, dataDir?: string): Promise<LaunchedDatabase | undefined> {
  const systemBinary = process.env.MONGOMS_SYSTEM_BINARY || (await findOnPath('mongod'));
  let cached: string | undefined;
  if (!systemBinary && (await anyCachedMongod())) {
    // Some mongod is cached; ask mongodb-memory-server whether it is the version it would use.
    const { DryMongoBinary } = await import('mongodb-memory-server');
    cached = await DryMongoBinary.generateOptions({})
      .then((options) => DryMongoBinary.locateBinary(options))
      .catch(() => undefined);
  }

  if (!systemBinary && !cached) {
    const host = downloadHost();
    if (!(await resolvesQuickly(host))) {
      logger.debug({ host }, 'no local mongod and the download host does not resolve; skipping mongod');
      return undefined;
    }
    logger.info({ host }, 'no local mongod; mongodb-memory-server will download one');
  }

  // Loaded only now: importing it costs ~150 ms, which the offline path above never pays.
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  try {
    const server = await MongoMemoryServer.create({
      binary: systemBinary ? { systemBinary } : {},
      instance: {
        ip: '127.0.0.1',
        ...(dataDir ? { dbPath: await ensureDir(dataDir), storageEngine: 'wiredTiger' as const } : {}),
      },
    });
    const uri = server.getUri();
    logger.info({ engine: 'mongod', uri, binary: systemBinary ?? cached ?? 'downloaded' }, 'database started');
    let stopping: Promise<void> | undefined;
    return {
      uri,
      engine: 'mongod',
      // doCleanup removes only the temp dbPath that mongodb-memory-server created itself.
      stop: () => (stopping ??= server.stop({ doCleanup: true }).then(() => undefined)),
    };
  } catch (err) {
    logger.warn({ err }, 'could not start mongod; falling back to FerretDB');
    return undefined;
  }
}

/**
 * Whether mongodb-memory-server's download dirs hold any mongod at all: a cheap readdir that
 * spares the import when there is none.
 */
async function anyCachedMongod(): Promise<boolean> {
  const dirs = [
    process.env.MONGOMS_DOWNLOAD_DIR,
    path.join(os.homedir(), '.cache', 'mongodb-binaries'),
    path.join(process.cwd(), 'node_modules', '.cache', 'mongodb-memory-server'),
  ];
  for (const dir of dirs) {
    if (!dir) continue;
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    if (names.some((name) => name.startsWith('mongod'))) return true;
  }
  return false;
}

function downloadHost(): string {
  const url = process.env.MONGOMS_DOWNLOAD_URL || process.env.MONGOMS_DOWNLOAD_MIRROR;
  if (url) {
    try {
      return new URL(url).hostname;
    } catch {
      // fall through to the default host
    }
  }
  return MONGO_DOWNLOAD_HOST;
}

async function resolvesQuickly(host: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), DNS_TIMEOUT_MS);
  });
  const lookup = dns.lookup(host).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// FerretDB on SQLite

async function startFerretdb(logger: Logger, dataDir?: string): Promise<LaunchedDatabase> {
  const bin = await ensureFerretdb({
    // A build happens once per machine and takes a minute: show it even at level warn.
    log: (line) => logger.warn(line),
  });

  const ownsDir = !dataDir;
  const dir = dataDir ? await ensureDir(dataDir) : await fs.mkdtemp(path.join(os.tmpdir(), 'forum-ferretdb-'));

  try {
    // The free port can be taken by someone else between our probe and FerretDB's bind: retry.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const proc = spawnFerretdb(bin, port, dir, { throwaway: ownsDir });
      try {
        await waitForPort(port, proc);
      } catch (err) {
        await proc.stop();
        if (attempt < 3 && /address already in use/i.test(proc.stderrTail())) continue;
        throw err;
      }

      const uri = `mongodb://127.0.0.1:${port}/`;
      logger.info({ engine: 'ferretdb', uri, ferretdbPid: proc.pid, dataDir: dir }, 'database started');
      proc.onUnexpectedExit((code, signal) =>
        logger.error({ code, signal, stderr: proc.stderrTail() }, 'FerretDB exited unexpectedly'),
      );
      let stopping: Promise<void> | undefined;
      return {
        uri,
        engine: 'ferretdb',
        stop: () =>
          (stopping ??= (async () => {
            await proc.stop();
            if (ownsDir) await fs.rm(dir, { recursive: true, force: true });
            logger.info({ engine: 'ferretdb' }, 'database stopped');
          })()),
      };
    }
  } catch (err) {
    if (ownsDir) await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

const WATCHDOG_SCRIPT = `
while kill -0 "$PARENT" 2>/dev/null && kill -0 "$CHILD" 2>/dev/null; do sleep 1; done
kill -0 "$PARENT" 2>/dev/null && exit 0
kill -TERM "$CHILD" 2>/dev/null
i=0; while kill -0 "$CHILD" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done
kill -KILL "$CHILD" 2>/dev/null
[ -n "$CLEANUP_DIR" ] && rm -rf "$CLEANUP_DIR"
exit 0
`;

interface FerretdbProcess {
  pid: number;
  exited: Promise<void>;
  stderrTail(): string;
  onUnexpectedExit(cb: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  stop(): Promise<void>;
}

/**
 * Go runtime settings for FerretDB, which shares the machine with the server (FERRETDB_GOGC and
 * FERRETDB_GOMAXPROCS override them). Both measured in the bench on 2 cores (bench/README):
 * - GOGC 400 (Go's default 100): the heap may grow to 5x what is live before a collection.
 *   FerretDB's CPU per post fell ~13% and S3's posts/s rose 5-15%, for ~15 MB more resident.
 * - GOMAXPROCS half the cores (Go's default: all): Go's idle threads spin looking for work on
 *   cores the server needs, and SQLite takes one writer at a time anyway. On 2 cores (one for
 *   FerretDB) its CPU per post fell another ~15%, S1's p50 by ~1 ms, S3 no slower.
 */
function ferretdbGoEnv(): Record<string, string> {
  return {
    GOGC: process.env.FERRETDB_GOGC || '400',
    GOMAXPROCS: process.env.FERRETDB_GOMAXPROCS || String(Math.max(1, Math.floor(os.availableParallelism() / 2))),
  };
}

function spawnFerretdb(bin: string, port: number, dir: string, { throwaway }: { throwaway: boolean }): FerretdbProcess {
  // FerretDB runs SQLite in WAL mode. For throwaway data, synchronous=NORMAL skips the fsync per
  // commit (about twice as fast for small writes); it can lose the last commits on power loss,
  // never corrupt. Kept data (opts.dataDir) stays at SQLite's default, FULL.
  const sqliteUrl = `file:${dir}/${throwaway ? '?_pragma=synchronous(NORMAL)' : ''}`;
  const child = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=${sqliteUrl}`,
      `--listen-addr=127.0.0.1:${port}`,
      // Default 127.0.0.1:8088 would collide between instances; '-' disables it. FERRETDB_DEBUG_ADDR
      // turns it on for profiling (Go's pprof at /debug/pprof/, see bench/profile.md).
      `--debug-addr=${process.env.FERRETDB_DEBUG_ADDR || '-'}`,
      '--state-dir=-', // no state.json (it only holds a telemetry UUID); keeps cwd clean
      '--telemetry=disable',
      // At warn FerretDB dumps every failed command (duplicate keys, the driver's endSessions...).
      '--log-level=error',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...ferretdbGoEnv() } },
  );

  // Last lines of output, for error messages. Reading the pipes also keeps FerretDB from blocking.
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (tail.length > 30) tail.splice(0, tail.length - 30);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let stopRequested = false;
  let unexpectedExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      watchdog.kill('SIGKILL');
      if (!stopRequested) unexpectedExit?.(code, signal);
      resolve();
    });
    child.once('error', (err) => {
      tail.push(`spawn error: ${err.message}`);
      watchdog.kill('SIGKILL');
      resolve();
    });
  });

  // If this process dies without calling stop() (SIGKILL, crash), nothing would end FerretDB.
  // A tiny shell polls our pid once a second; when we are gone it stops FerretDB (TERM, then
  // KILL after 3 s) and removes the throwaway data dir. It also leaves as soon as FerretDB is
  // gone, so it never lingers to signal a recycled pid.
  const watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT], {
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      PARENT: String(process.pid),
      CHILD: String(child.pid),
      CLEANUP_DIR: throwaway ? dir : '',
    },
  });
  watchdog.on('error', () => {}); // without sh we only lose the orphan protection

  // Neither process should keep Node alive: a forgotten stop() is covered by the watchdog.
  child.unref();
  watchdog.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as net.Socket | null)?.unref();

  const alive = () => child.exitCode === null && child.signalCode === null;

  return {
    pid: child.pid ?? -1,
    exited,
    stderrTail: () => tail.join('\n'),
    onUnexpectedExit: (cb) => {
      unexpectedExit = cb;
    },
    async stop() {
      stopRequested = true;
      if (child.pid && alive()) {
        signal(child.pid, 'SIGTERM');
        const killTimer = setTimeout(() => {
          if (child.pid && alive()) signal(child.pid, 'SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(killTimer);
      }
      await exited;
      watchdog.kill('SIGKILL');
    },
  };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Resolves once the port accepts a TCP connection; rejects if FerretDB exits or after ~20 s. */
async function waitForPort(port: number, proc: FerretdbProcess): Promise<void> {
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + FERRETDB_READY_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      throw new Error(`FerretDB exited before accepting connections on port ${port}:\n${proc.stderrTail()}`);
    }
    if (await canConnect(port, 250)) {
      if (!exited) return;
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `FerretDB did not accept connections on 127.0.0.1:${port} within ${FERRETDB_READY_TIMEOUT_MS / 1000} s. ` +
          `Last output:\n${proc.stderrTail() || '(none)'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function canConnect(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------

async function ensureDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  await fs.mkdir(abs, { recursive: true });
  return abs;
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      await fs.access(file, fsConstants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `mongodb://user:pass@host/` -> `mongodb://***@host/`, for logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
