import type { ForumClient, PresenceDetail } from '../../../sdk/index.js';

/**
 * Everyone online, in detail (who, where, since when, last active), for moderators and admins:
 * the last `presence:detail` the server pushed. It pushes the full list to the moderators'
 * sockets at most once a second, and to a moderator's socket right after it connects (before any
 * page may be drawn), so the store is made with the socket and keeps the last one for the
 * "Who is online" page. For anyone else it stays null and listens to nothing.
 */
export class PresenceDetailStore {
  /** Null until the first push (and always while inactive). */
  detail: PresenceDetail | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly stop: Array<() => void> = [];

  constructor(
    client: ForumClient,
    readonly active: boolean,
  ) {
    if (!active) return;
    const onDetail = (detail: PresenceDetail) => {
      this.detail = detail;
      for (const l of this.listeners) l();
    };
    client.socket.on('presence:detail', onDetail);
    this.stop.push(() => client.socket.off('presence:detail', onDetail));
  }

  /** Listen to each new list; returns a function that stops listening. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const s of this.stop) s();
    this.listeners.clear();
  }
}
