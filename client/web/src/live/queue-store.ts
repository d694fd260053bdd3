import type { ForumClient, QueuedPost, QueuePage, RejectedQueued } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { LiveCount, type CountChange } from './live-count.js';

/** What changed: a post held, one that left the queue (approved or rejected, here or by another moderator), or only the count (a fetch). */
export type QueueChange = { type: 'added'; post: QueuedPost } | { type: 'removed'; id: string } | CountChange;

/**
 * The posts awaiting approval, counted, for moderators and admins (GET /queue, page 1), kept by
 * `queue:added` and `queue:removed`, which the server pushes to every moderator's sockets with
 * the queue's size. For anyone else it stays null. The queue page listens to it for the posts.
 */
export class QueueStore extends LiveCount<QueueChange> {
  constructor(
    client: ForumClient,
    private readonly api: Api,
    moderator: boolean,
  ) {
    super(client, moderator);
    this.follow({
      'queue:added': (e) => ({ count: e.count, change: { type: 'added', post: e.post } }),
      'queue:removed': (e) => ({ count: e.count, change: { type: 'removed', id: e.post.id } }),
    });
  }

  protected fetchCount(): Promise<unknown> {
    return this.page(1);
  }

  /** Fetch a page of the queue (oldest first); its count updates the store (unless a push came meanwhile). */
  page(page: number): Promise<QueuePage> {
    return this.fromRest(() => this.api.get<QueuePage>(`/queue?page=${page}`), (a) => a.count);
  }

  /** Approve a held post: the server posts it as its author's. Every moderator's tab then hears `queue:removed`. */
  async approve(id: string): Promise<void> {
    await this.api.request('POST', `/queue/${encodeURIComponent(id)}/approve`, {});
    // Also tell this tab's listeners now, should the push be slow or the socket away.
    this.notify({ type: 'removed', id });
  }

  /**
   * Reject a held post, with an optional reason (for the moderation log, and the author), telling
   * its author in a private message unless `tell` is false. Answers whether they were told. Every
   * moderator's tab then hears `queue:removed`.
   */
  async reject(id: string, reason?: string, tell = true): Promise<RejectedQueued> {
    const body = { ...(reason ? { reason } : {}), ...(tell ? {} : { tell: false }) };
    const answer = await this.api.request<RejectedQueued>('POST', `/queue/${encodeURIComponent(id)}/reject`, body);
    this.notify({ type: 'removed', id });
    return answer;
  }
}
