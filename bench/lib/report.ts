// The one table printed at the end, and the targets verdicts.
import type { StepResult } from './step.js';

export interface Row {
  scenario: string;
  server: string;
  load: string;
  p50: number;
  p99: number;
  p999: number;
  deliveriesPerSec: number | null;
  cpuPerDelivery: number | null;
  rssPer1k: number | null;
  vs: string;
}

export function rowFromStep(scenario: string, server: string, load: string, r: StepResult | null, rssPer1kMB: number | null, vs: string): Row {
  return {
    scenario,
    server,
    load,
    p50: r?.latency.p50 ?? NaN,
    p99: r?.latency.p99 ?? NaN,
    p999: r?.latency.p999 ?? NaN,
    deliveriesPerSec: r?.deliveriesPerSec ?? null,
    cpuPerDelivery: r?.server.cpuMicrosPerDelivery ?? null,
    rssPer1k: rssPer1kMB,
    vs,
  };
}

export function renderTable(rows: Row[]): string {
  const head = ['Scenario', 'Server', 'Load', 'p50 ms', 'p99 ms', 'p99.9 ms', 'Deliveries/s', 'CPU µs/deliv', 'RSS MB/1k conns', 'vs baseline'];
  const fmt = (n: number | null, d = 1) => (n === null || Number.isNaN(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: d }));
  const body = rows.map((r) => [r.scenario, r.server, r.load, fmt(r.p50), fmt(r.p99), fmt(r.p999), fmt(r.deliveriesPerSec, 0), fmt(r.cpuPerDelivery, 2), fmt(r.rssPer1k, 1), r.vs]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 3 && i <= 8 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i >= 3 && i <= 8 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...body.map(line)].join('\n');
}

export interface Verdict {
  target: string;
  met: boolean | null;
  detail: string;
}

export function renderVerdicts(verdicts: Verdict[]): string {
  return verdicts.map((v) => `${v.met === null ? 'n/a ' : v.met ? 'MET ' : 'MISS'}  ${v.target}: ${v.detail}`).join('\n');
}

export const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? Math.round((a / b) * 100) / 100 : null);
