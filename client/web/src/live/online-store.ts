import type { ForumClient, OnlineSnapshot } from '../../../sdk/index.js';
import type { Api } from '../api.js';

/** The who-is-online snapshot: fetched over REST, then kept current by `presence:online`. */
export class OnlineStore {
  snapshot: OnlineSnapshot | null = null;
  /** False when the server has no who-is-online (GET /online failed). */
  available = true;
  private readonly listeners = new Set<() => void>();
  private readonly stop: Array<() => void> = [];

  constructor(
    client: ForumClient,
    private readonly api: Api,
  ) {
    const onOnline = (s: OnlineSnapshot) => this.set(s);
    client.socket.on('presence:online', onOnline);
    this.stop.push(() => client.socket.off('presence:online', onOnline));
    // After a reconnect the snapshot may be stale: fetch it again.
    this.stop.push(client.onState((state) => state === 'connected' && void this.refresh()));
    void this.refresh();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async refresh(): Promise<void> {
    try {
      this.set(await this.api.get<OnlineSnapshot>('/online'));
    } catch {
      if (!this.snapshot) {
        this.available = false;
        this.notify();
      }
    }
  }

  close(): void {
    for (const s of this.stop) s();
    this.listeners.clear();
  }

  private set(snapshot: OnlineSnapshot): void {
    this.snapshot = snapshot;
    this.available = true;
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
