import type { ForumClient, Notification as ForumNotification, NotificationsPage } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { LiveCount, type CountChange } from './live-count.js';

/** What changed: a new notification, some (or all) marked read, or only the unread count (a fetch). */
export type NotificationChange = { type: 'new'; notification: ForumNotification } | { type: 'read'; ids?: string[]; all: boolean } | CountChange;

/**
 * The signed-in member's unread notifications, counted (GET /notifications, page 1), kept by
 * `notification:new` and `notifications:read` on their own sockets (every tab hears every
 * change). For a guest it stays null.
 */
export class NotificationStore extends LiveCount<NotificationChange> {
  constructor(
    client: ForumClient,
    private readonly api: Api,
    signedIn: boolean,
  ) {
    super(client, signedIn);
    this.follow({
      'notification:new': (e) => ({ count: e.unreadCount, change: { type: 'new', notification: e.notification } }),
      'notifications:read': (e) => ({ count: e.unreadCount, change: { type: 'read', ids: e.ids, all: e.all } }),
    });
  }

  protected fetchCount(): Promise<unknown> {
    return this.page(1);
  }

  /** Fetch a page of notifications; its unread count updates the store (unless a push came meanwhile). */
  page(page: number): Promise<NotificationsPage> {
    return this.fromRest(() => this.api.get<NotificationsPage>(`/notifications?page=${page}`), (a) => a.unreadCount);
  }

  /** Mark these read, or all of them. Every tab (this one too) then hears `notifications:read`. */
  async markRead(ids?: string[]): Promise<void> {
    await this.fromRest(() => this.api.request<{ unreadCount: number }>('POST', '/notifications/read', ids ? { ids } : {}), (a) => a.unreadCount);
    // Also tell this tab's listeners now, should the push be slow or the socket away.
    this.notify({ type: 'read', ids, all: !ids });
  }
}
