// What one idle, subscribed connection costs the server: RSS, heap, and (HEAP=1) the heap's
// growth by constructor between N and 2N connections, from two heap snapshots.
// `npx tsx bench/tools/conn-memory.ts [ours|B1] ` (N=1000).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/processes.js';
import { openWatchers, type Target, type Watcher } from '../lib/target.js';
import { DeliveryMeter } from '../lib/meter.js';

const which = (process.argv[2] ?? 'ours') as 'ours' | 'B1';
const N = Number(process.env.N ?? 1000);
const file = process.env.SERVER_FILE ?? (which === 'ours' ? 'forum-server.ts' : 'b1-socketio.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connmem-'));
const server = await startServer(file, { BENCH_WATCHERS: String(Number(process.env.ROUNDS ?? 2) * N), BENCH_POSTERS: '1' }, [`--diagnostic-dir=${dir}`, '--heapsnapshot-signal=SIGUSR2']);
const t: Target = { name: which, server, wire: 'socketio' };
const meter = new DeliveryMeter();
const topic = server.info.topicIds[0];
const all: Watcher[] = [];
const snap = async () => {
  const before = new Set(fs.readdirSync(dir));
  process.kill(server.info.pid, 'SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const f = fs.readdirSync(dir).find((x) => !before.has(x) && x.endsWith('.heapsnapshot'));
    if (f && fs.statSync(path.join(dir, f)).size > 0) {
      await new Promise((r) => setTimeout(r, 2000));
      return path.join(dir, f);
    }
  }
};
try {
  const rows: string[] = [];
  const stats0 = await server.stats({ gc: true });
  const snaps: string[] = [];
  for (let round = 1; round <= Number(process.env.ROUNDS ?? 2); round++) {
    const ws = await openWatchers(t, N, () => topic, meter, 'lean');
    all.push(...ws);
    await new Promise((r) => setTimeout(r, 1500));
    const s = await server.stats({ gc: true });
    rows.push(`${round * N} conns: RSS ${(s.rss / 2 ** 20).toFixed(1)} MB, heap used ${(s.heapUsed / 2 ** 20).toFixed(1)} MB, external ${(s.external / 2 ** 20).toFixed(1)} MB`);
    if (process.env.HEAP) snaps.push(await snap());
  }
  const s1 = await server.stats({ gc: true });
  console.log(`${which}: base RSS ${(stats0.rss / 2 ** 20).toFixed(1)} MB`);
  for (const r of rows) console.log(`  ${r}`);
  if (snaps.length === 2) diff(snaps[0], snaps[1]);
  for (const t of (process.env.RETAINERS ?? '').split(',').filter(Boolean)) {
    console.log(`retainers of ${t}:`);
    retainers(snaps[1], t);
  }
  void s1;
} finally {
  for (const w of all) w.close();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

function byName(file: string) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields as string[];
  const types = snap.snapshot.meta.node_types[0] as string[];
  const nodes = snap.nodes as number[];
  const strings = snap.strings as string[];
  const w = f.length;
  const [iType, iName, iSize] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
  const out = new Map<string, { n: number; bytes: number }>();
  for (let i = 0; i < nodes.length; i += w) {
    const type = types[nodes[i + iType]];
    const name = type === 'object' || type === 'closure' || type === 'native' ? `${type}:${strings[nodes[i + iName]]}` : type;
    const e = out.get(name) ?? { n: 0, bytes: 0 };
    e.n++;
    e.bytes += nodes[i + iSize];
    out.set(name, e);
  }
  return out;
}
function diff(a: string, b: string) {
  const A = byName(a);
  const B = byName(b);
  const rows = [...B].map(([k, v]) => ({ k, n: (v.n - (A.get(k)?.n ?? 0)) / N, bytes: (v.bytes - (A.get(k)?.bytes ?? 0)) / N })).sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  console.log(`heap growth per connection: ${(total / 1024).toFixed(2)} KB`);
  for (const r of rows.slice(0, 45)) console.log(`  ${r.bytes.toFixed(0).padStart(6)} B  ${r.n.toFixed(2).padStart(6)}x  ${r.k}`);
}

/** RETAINERS=Name (or type=T): who points at objects of that constructor (edge name and holder), with their bytes. */
export function retainers(file: string, target: string) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields as string[];
  const ef = snap.snapshot.meta.edge_fields as string[];
  const types = snap.snapshot.meta.node_types[0] as string[];
  const etypes = snap.snapshot.meta.edge_types[0] as string[];
  const nodes = snap.nodes as number[];
  const edges = snap.edges as number[];
  const strings = snap.strings as string[];
  const w = f.length;
  const ew = ef.length;
  const [iType, iName, iEdges, iSize] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('edge_count'), f.indexOf('self_size')];
  const [eType, eName, eTo] = [ef.indexOf('type'), ef.indexOf('name_or_index'), ef.indexOf('to_node')];
  const label = (n: number) => `${types[nodes[n + iType]]}:${strings[nodes[n + iName]]}`;
  const counts = new Map<string, number>();
  let e = 0;
  for (let n = 0; n < nodes.length; n += w) {
    const ec = nodes[n + iEdges];
    for (let k = 0; k < ec; k++, e += ew) {
      const to = edges[e + eTo];
      if (target.startsWith('type=') ? types[nodes[to + iType]] !== target.slice(5) : label(to) !== target) continue;
      const et = etypes[edges[e + eType]];
      const name = et === 'element' || et === 'hidden' ? `[${edges[e + eName]}]` : strings[edges[e + eName]];
      const key = `${label(n)} .${name}`;
      counts.set(key, (counts.get(key) ?? 0) + nodes[to + iSize]);
    }
  }
  for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${String(v).padStart(6)}  ${k}`);
}
