// Counts deliveries of the current step and records their latency from the intended send time.
import { monitorEventLoopDelay, type RecordableHistogram } from 'node:perf_hooks';
import { newHistogram, recordUs } from './histogram.js';
import { nowUs, stampFromBuffer, type Stamp } from './stamp.js';

export class DeliveryMeter {
  step = -1;
  hist: RecordableHistogram = newHistogram();
  /** Deliveries per post index of the current step. */
  perPost = new Uint16Array(0);
  deliveries = 0;
  /** Deliveries of an earlier step that arrived late (not counted in the step that follows). */
  stale = 0;

  /** Start counting a new step of at most `posts` posts. */
  begin(step: number, posts: number): void {
    this.step = step;
    this.hist = newHistogram();
    this.perPost = new Uint16Array(posts);
    this.deliveries = 0;
  }

  /** Stop counting (late frames become stale). */
  end(): void {
    this.step = -1;
  }

  /** Size of the last frame seen (to show that every server sends comparable payloads). */
  frameBytes = 0;

  /** Frames that carry no post (presence, typing...), and their bytes. */
  otherFrames = 0;
  otherBytes = 0;

  readonly onFrame = (frame: Buffer): void => {
    const s = stampFromBuffer(frame);
    if (s) {
      this.frameBytes = frame.length;
      this.onStamp(s);
    } else {
      this.otherFrames++;
      this.otherBytes += frame.length;
    }
  };

  onStamp(s: Stamp): void {
    if (s.step !== this.step || s.index >= this.perPost.length) {
      this.stale++;
      return;
    }
    this.deliveries++;
    this.perPost[s.index]++;
    recordUs(this.hist, nowUs() - s.intendedUs);
  }
}

/** This process's own CPU and event-loop delay over a window: is the load generator the bottleneck? */
export function clientProbe() {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    eld.disable();
    return { cpuMicros: cpu.user + cpu.system, cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10, eldP99Ms: eld.percentile(99) / 1e6, wallMs };
  };
}
