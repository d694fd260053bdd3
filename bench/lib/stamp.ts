// Each post's body carries its intended send time, so a delivery's latency is measured from when
// the post SHOULD have been sent (no coordinated omission). The stamp is letters and digits
// only, so it survives rendering and escaping: `BENCHs<step>n<index>t<intended µs>E`.
import { performance } from 'node:perf_hooks';

const FILLER =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore ' +
  'et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.';

/** Microseconds on this process's monotonic clock. */
export const nowUs = () => performance.now() * 1000;

export function stampedBody(step: number, index: number, intendedUs: number): string {
  return `BENCHs${step}n${index}t${Math.round(intendedUs)}E ${FILLER}`;
}

export interface Stamp {
  step: number;
  index: number;
  intendedUs: number;
}

const MARK = Buffer.from('BENCHs');

/** Read the first stamp in a raw frame without decoding it (the watchers' hot path). */
export function stampFromBuffer(buf: Buffer): Stamp | null {
  const at = buf.indexOf(MARK);
  if (at < 0) return null;
  const out = [0, 0, 0];
  let field = 0;
  for (let i = at + MARK.length; i < buf.length; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) out[field] = out[field] * 10 + (c - 48);
    else if (c === 110 /* n */ || c === 116 /* t */) field++;
    else if (c === 69 /* E */ && field === 2) return { step: out[0], index: out[1], intendedUs: out[2] };
    else return null;
  }
  return null;
}

export function stampFromString(s: string): Stamp | null {
  const m = /BENCHs(\d+)n(\d+)t(\d+)E/.exec(s);
  return m ? { step: Number(m[1]), index: Number(m[2]), intendedUs: Number(m[3]) } : null;
}
