import type { TopicEvent } from '../../shared/schemas.js';

/** Which number orders a stream: a topic's seq, or a forum's cursor. */
export type StreamKey = (event: TopicEvent) => number;
export const bySeq: StreamKey = (e) => e.data.seq;
export const byForumSeq: StreamKey = (e) => e.data.forumSeq;

/**
 * Delivers events in order, once each. Live events may arrive early (a hole before them) or
 * twice (live and in a replay); replays are authoritative and may step over holes that the
 * server knows will never fill.
 */
export class OrderedStream {
  private held = new Map<number, TopicEvent>();

  constructor(
    public position: number,
    private readonly key: StreamKey,
    private readonly deliver: (event: TopicEvent) => void,
  ) {}

  /** A live event. Returns true when a hole holds events back (the caller should repair). */
  live(event: TopicEvent): boolean {
    const k = this.key(event);
    if (k <= this.position) return false;
    this.held.set(k, event);
    return this.flush();
  }

  /** Events from a replay: contiguous by the server's word. */
  replay(events: TopicEvent[]): boolean {
    for (const event of events) {
      const k = this.key(event);
      if (k <= this.position) continue;
      this.position = k;
      this.held.delete(k);
      this.emit(event);
    }
    return this.flush();
  }

  /** Start over from a new position (after a resync), forgetting what is held. */
  reset(position: number): void {
    this.position = position;
    this.held.clear();
  }

  get hasHole(): boolean {
    return this.held.size > 0;
  }

  private flush(): boolean {
    for (const k of [...this.held.keys()]) if (k <= this.position) this.held.delete(k);
    let next = this.held.get(this.position + 1);
    while (next) {
      this.held.delete(this.position + 1);
      this.position += 1;
      this.emit(next);
      next = this.held.get(this.position + 1);
    }
    return this.held.size > 0;
  }

  private emit(event: TopicEvent): void {
    if (event.type !== 'noop') this.deliver(event);
  }
}
