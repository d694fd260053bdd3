import type { ForumClient, MyQueuePage, QueueDecidedEvent, QueuedPost, QueueHeldEvent } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { onReconnect } from './on-reconnect.js';

/** Where a page shows the member's held posts (views/my-held-posts.ts draws them). */
export interface MyQueueView {
  /** The held posts as a fetch found them (oldest first), with any held since it was sent. */
  set(posts: QueuedPost[]): void;
  /** One more held post (a push, or this tab's own 202 answer): shown once, whichever comes first. */
  add(post: QueuedPost): void;
  /** A moderator approved it (it then arrives as any post does) or rejected it (saying whether, and where, they told the author). */
  decided(event: QueueDecidedEvent): void;
}

export interface MyQueueDeps {
  client: ForumClient;
  api: Api;
}

/**
 * The signed-in member's own posts awaiting approval that a page shows (`mine`: this topic's
 * replies, this forum's new topics): GET /queue/mine (page 1), then kept by `queue:held` and
 * `queue:decided`, which the server pushes to all the member's sockets; fetched again when the
 * socket is back (pushes made while it was away are lost). A fetch sent before a decision may
 * still list the post, and must not bring it back; one sent before a post was held does not
 * list it, and must not drop it.
 */
export function followMyQueue(deps: MyQueueDeps, mine: (post: QueuedPost) => boolean, view: MyQueueView): { add(post: QueuedPost): void; dispose(): void } {
  const { client, api } = deps;
  let alive = true;
  /** What is shown, with the version at which each was added. */
  const held = new Map<string, { post: QueuedPost; at: number }>();
  /** Posts decided: a fetch sent before may still list them. */
  const gone = new Set<string>();
  let version = 0;
  /** Only the newest fetch's answer is drawn. */
  let fetches = 0;

  function add(post: QueuedPost): void {
    if (!alive || !mine(post)) return;
    gone.delete(post.id); // held again (a retry with the same clientId has the same id)
    if (held.has(post.id)) return;
    held.set(post.id, { post, at: ++version });
    view.add(post);
  }

  function decided(event: QueueDecidedEvent): void {
    if (!alive || !mine(event.post)) return;
    version++;
    gone.add(event.id);
    held.delete(event.id);
    view.decided(event);
  }

  async function load(): Promise<void> {
    const mark = ++fetches;
    const since = version;
    let page: MyQueuePage;
    try {
      page = await api.get<MyQueuePage>('/queue/mine?page=1');
    } catch {
      return; // what is shown stays; the next reconnect tries again
    }
    if (!alive || mark !== fetches) return;
    const found = page.posts.filter((p) => mine(p) && !gone.has(p.id));
    const ids = new Set(found.map((p) => p.id));
    const newer = [...held.values()].filter((e) => e.at > since && !ids.has(e.post.id)).map((e) => e.post);
    held.clear();
    for (const post of [...found, ...newer]) held.set(post.id, { post, at: version });
    view.set([...held.values()].map((e) => e.post));
  }

  const onHeld = (e: QueueHeldEvent) => add(e.post);
  client.socket.on('queue:held', onHeld);
  client.socket.on('queue:decided', decided);
  const stopReconnect = onReconnect(client, () => void load());
  void load();

  return {
    add,
    dispose() {
      alive = false;
      client.socket.off('queue:held', onHeld);
      client.socket.off('queue:decided', decided);
      stopReconnect();
    },
  };
}
