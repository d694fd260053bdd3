import type { ForumClient, TopicEvent } from '../../../sdk/index.js';
import { keepSubscribed } from './keep-subscribed.js';

/** What a page does with its forums' streams: each event in order, and a reload when it must. */
export interface ForumFollower {
  event(event: TopicEvent): void;
  /** The server could not replay what was missed, or a subscription came back: read the page again. */
  reload(): void;
}

/**
 * Follow the events of each forum a page lists (the board index; the forum page, its one
 * forum), each from the cursor it was listed with. `sync` is called with every fresh listing:
 * forums newly listed are followed, those no longer listed (deleted, or closed to this reader)
 * are let go. With `reloadWhenLive`, each subscription going live asks for a reload too. With
 * `browsing` (the forum page), the reader counts as browsing the forum and hears who else does.
 */
export function followForums(client: ForumClient, follower: ForumFollower, { reloadWhenLive = false, browsing = false } = {}) {
  const following = new Map<string, () => void>();
  return {
    sync(forums: Array<{ id: string; seq: number }>): void {
      const listed = new Set(forums.map((f) => f.id));
      for (const [id, stop] of following) {
        if (listed.has(id)) continue;
        stop();
        following.delete(id);
      }
      for (const f of forums) {
        if (following.has(f.id)) continue;
        const subscribe = (sinceSeq: number) => client.subscribeForum(f.id, { event: follower.event, resync: follower.reload }, { sinceSeq, browsing });
        following.set(f.id, keepSubscribed(client, subscribe, f.seq, reloadWhenLive ? { live: follower.reload } : {}));
      }
    },
    stop(): void {
      for (const stop of following.values()) stop();
      following.clear();
    },
  };
}
