import type { ForumClient } from '../../../sdk/index.js';
import type { ServerToClientEvents } from '../../../../shared/events.js';

/** Only the count moved (a fetch answered). */
export type CountChange = { type: 'count' };

/**
 * A count the header shows live: unread notifications, unread conversations, open reports. It is
 * fetched over REST at start and on every (re)connect (pushes made while the socket was away are
 * lost), then kept by the pushes that carry it. A REST answer sent before a push arrived is
 * older than that push, and dropped. Pages listen to the same changes for their own lists.
 * Inactive (a guest; a member, for reports): the count stays null and nothing is fetched.
 */
export abstract class LiveCount<Change> {
  /** Null until known (and always while inactive). */
  count: number | null = null;
  private readonly listeners = new Set<(change: Change | CountChange) => void>();
  private readonly stop: Array<() => void> = [];
  /** Bumped by every push: a REST answer sent before one is older than it. */
  private version = 0;

  constructor(
    private readonly client: ForumClient,
    readonly active: boolean,
  ) {}

  /** Fetch the count (through `fromRest`). */
  protected abstract fetchCount(): Promise<unknown>;

  /**
   * Keep the count by these pushes (each gives what changed and, if it carries one, the new
   * count), then fetch it now and on every reconnect. A push without a count (an edit) leaves
   * the count, and a REST answer in flight, as they are.
   */
  protected follow(pushes: { [E in keyof ServerToClientEvents]?: (payload: Parameters<ServerToClientEvents[E]>[0]) => { count?: number; change: Change } }): void {
    if (!this.active) return;
    for (const [event, read] of Object.entries(pushes)) {
      const on = (payload: unknown) => {
        const { count, change } = (read as (p: unknown) => { count?: number; change: Change })(payload);
        if (count !== undefined) {
          this.version++;
          this.count = count;
        }
        this.notify(change);
      };
      this.client.socket.on(event as 'notification:new', on);
      this.stop.push(() => this.client.socket.off(event as 'notification:new', on));
    }
    this.stop.push(this.client.onState((state) => state === 'connected' && void this.refresh()));
    void this.refresh();
  }

  /** Listen to changes; returns a function that stops listening. */
  subscribe(listener: (change: Change | CountChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async refresh(): Promise<void> {
    if (!this.active) return;
    try {
      await this.fetchCount();
    } catch {
      /* the count stays as it was; the next (re)connect tries again */
    }
  }

  close(): void {
    for (const s of this.stop) s();
    this.listeners.clear();
  }

  /** A REST call that answers the count: taken unless a push arrived while it was out. */
  protected async fromRest<T>(call: () => Promise<T>, countOf: (answer: T) => number): Promise<T> {
    const before = this.version;
    const answer = await call();
    if (this.version === before && countOf(answer) !== this.count) {
      this.count = countOf(answer);
      this.notify({ type: 'count' });
    }
    return answer;
  }

  protected notify(change: Change | CountChange): void {
    for (const l of this.listeners) l(change);
  }
}
