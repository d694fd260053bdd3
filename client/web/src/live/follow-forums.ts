import type { ForumClient } from '../../../sdk/index.js';
import { keepSubscribed } from './keep-subscribed.js';

/**
 * Follow the events of each forum a page lists (the board index; the forum page, its one
 * forum), each from the cursor it was listed with. `onEvent` hears every event and each
 * subscription going live. `sync` is called with every fresh listing: forums newly listed are
 * followed, those no longer listed (deleted, or closed to this reader) are let go.
 */
export function followForums(client: ForumClient, onEvent: () => void) {
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
        const subscribe = (sinceSeq: number) => client.subscribeForum(f.id, { event: onEvent, resync: onEvent }, { sinceSeq });
        following.set(f.id, keepSubscribed(client, subscribe, f.seq, { live: onEvent }));
      }
    },
    stop(): void {
      for (const stop of following.values()) stop();
      following.clear();
    },
  };
}
