import type { ForumClient, Notification as ForumNotification, NotificationNewEvent, NotificationsPage, NotificationsReadEvent } from '../../../sdk/index.js';
import type { Api } from '../api.js';

/** What changed: a new notification, some (or all) marked read, or only the unread count (a fetch). */
export type NotificationChange =
  | { type: 'new'; notification: ForumNotification }
  | { type: 'read'; ids?: string[]; all: boolean }
  | { type: 'count' };

/**
 * The signed-in member's unread notification count: fetched over REST (GET /notifications,
 * page 1), then kept current by `notification:new` and `notifications:read` on their own
 * sockets (every tab hears every change). For a guest it stays null and fetches nothing.
 */
export class NotificationStore {
  /** Unread notifications; null until known (and always for a guest). */
  unreadCount: number | null = null;
  private readonly listeners = new Set<(change: NotificationChange) => void>();
  private readonly stop: Array<() => void> = [];
  /** Bumped by every pushed event: a REST answer sent before one is older than it, and dropped. */
  private version = 0;

  constructor(
    client: ForumClient,
    private readonly api: Api,
    readonly signedIn: boolean,
  ) {
    if (!signedIn) return;
    const onNew = (e: NotificationNewEvent) => {
      this.version++;
      this.unreadCount = e.unreadCount;
      this.notify({ type: 'new', notification: e.notification });
    };
    const onRead = (e: NotificationsReadEvent) => {
      this.version++;
      this.unreadCount = e.unreadCount;
      this.notify({ type: 'read', ids: e.ids, all: e.all });
    };
    client.socket.on('notification:new', onNew);
    client.socket.on('notifications:read', onRead);
    this.stop.push(() => client.socket.off('notification:new', onNew), () => client.socket.off('notifications:read', onRead));
    // Pushes made while the socket was away are lost: count again on every (re)connect.
    this.stop.push(client.onState((state) => state === 'connected' && void this.refresh()));
    void this.refresh();
  }

  /** Listen to changes; returns a function that stops listening. */
  subscribe(listener: (change: NotificationChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetch a page of notifications; its unread count updates the store (unless a push came meanwhile). */
  async page(page: number): Promise<NotificationsPage> {
    const data = await this.fromRest(() => this.api.get<NotificationsPage>(`/notifications?page=${page}`));
    return data;
  }

  /** Mark these read, or all of them. Every tab (this one too) then hears `notifications:read`. */
  async markRead(ids?: string[]): Promise<void> {
    await this.fromRest(() => this.api.request<{ unreadCount: number }>('POST', '/notifications/read', ids ? { ids } : {}));
    // Also tell this tab's listeners now, should the push be slow or the socket away.
    this.notify({ type: 'read', ids, all: !ids });
  }

  async refresh(): Promise<void> {
    if (!this.signedIn) return;
    try {
      await this.page(1);
    } catch {
      /* the count stays as it was; the next (re)connect tries again */
    }
  }

  close(): void {
    for (const s of this.stop) s();
    this.listeners.clear();
  }

  /** A REST call answering an unread count: taken unless a push arrived while it was out. */
  private async fromRest<T extends { unreadCount: number }>(call: () => Promise<T>): Promise<T> {
    const before = this.version;
    const answer = await call();
    if (this.version === before && answer.unreadCount !== this.unreadCount) {
      this.unreadCount = answer.unreadCount;
      this.notify({ type: 'count' });
    }
    return answer;
  }

  private notify(change: NotificationChange): void {
    for (const l of this.listeners) l(change);
  }
}
