import type { ForumClient, Subscription } from '../../../sdk/index.js';

/**
 * Subscribe, and if that fails (no connection yet, or it dropped), again each time the
 * connection is back, from the same position so nothing is lost. `paused` and `live` tell the
 * page which state it is in. Returns a function that stops everything, the subscription too.
 */
export function keepSubscribed(
  client: ForumClient,
  subscribe: (sinceSeq: number) => Promise<Subscription>,
  sinceSeq: number,
  hooks: { paused?(): void; live?(): void } = {},
): () => void {
  let stopped = false;
  let sub: Subscription | null = null;
  let stopWaiting: (() => void) | null = null;

  async function attempt(from: number): Promise<void> {
    try {
      const made = await subscribe(from);
      if (stopped) return void made.unsubscribe();
      sub = made;
      hooks.live?.();
    } catch {
      if (stopped) return;
      hooks.paused?.();
      stopWaiting = client.onState((state) => {
        if (state !== 'connected') return;
        stopWaiting?.();
        stopWaiting = null;
        void attempt(from);
      });
    }
  }

  void attempt(sinceSeq);
  return () => {
    stopped = true;
    stopWaiting?.();
    void sub?.unsubscribe();
  };
}
