// HDR histograms from perf_hooks, recording microseconds, summarised in milliseconds.
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

const HIGHEST_US = 120_000_000;

export function newHistogram(): RecordableHistogram {
  return createHistogram({ lowest: 1, highest: HIGHEST_US, figures: 3 });
}

export function recordUs(h: RecordableHistogram, us: number): void {
  h.record(Math.min(HIGHEST_US, Math.max(1, Math.round(us))));
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export function summarize(h: RecordableHistogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  if (h.count === 0) return { count: 0, p50: NaN, p99: NaN, p999: NaN, max: NaN, mean: NaN };
  return { count: h.count, p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), p999: ms(h.percentile(99.9)), max: ms(h.max), mean: ms(h.mean) };
}
