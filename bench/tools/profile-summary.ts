// Summarise a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): self time by function and
// by package, so bench/profile.md can say where the server's time goes.
// Usage: npx tsx bench/tools/profile-summary.ts bench/results/profile/<file>.cpuprofile [top]
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url: string): string {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const m = /\/work\/[^/]+\/(.*)$/.exec(url);
  return m ? m[1].split('/').slice(0, 2).join('/') : url;
}

const fnTimes = new Map<string, number>();
const areaTimes = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const f = n.callFrame;
  const name = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : ''}`.trim();
  fnTimes.set(name, (fnTimes.get(name) ?? 0) + us);
  areaTimes.set(area(f.url), (areaTimes.get(area(f.url)) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)}%`;
const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
// Inclusive ("total") time of the project's own functions: self time of the node and everything
// below it, counted once per stack (a recursive function is not counted twice).
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const ownName = (n: Node) => {
  const f = n.callFrame;
  const m = /\/work\/[^/]+\/((server|shared|client)\/.*)$/.exec(f.url);
  return m ? `${f.functionName || '(anonymous)'} ${m[1]}` : null;
};
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const name = ownName(byId.get(cur)!);
    if (name && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
}

console.log(`total sampled ${(total / 1e6).toFixed(1)} s`);
print('self time by package / area', areaTimes);
print('self time by function', fnTimes);
print("inclusive time of the project's own functions", inclusive);
