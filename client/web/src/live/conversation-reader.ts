import type { MessageStore } from './message-store.js';

/** How long the reader waits after the last message seen before it tells the server (one request per burst). */
const READ_DELAY_MS = 300;

/**
 * Marks an open conversation read (`POST /conversations/:id/read`, through the store, so the
 * badge drops in every tab): on opening it and as messages from others arrive, but only while
 * the tab is in view (what came to a hidden tab is read once it is shown again). A failure is
 * left for the next message.
 */
export function conversationReader(store: MessageStore, conversationId: string) {
  let wanted = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function schedule(): void {
    if (wanted && !document.hidden) timer ??= setTimeout(send, READ_DELAY_MS);
  }
  document.addEventListener('visibilitychange', schedule);

  function send(): void {
    timer = null;
    if (!wanted || document.hidden) return;
    wanted = false;
    store.markRead(conversationId).catch(() => undefined);
  }

  return {
    /** Something unread is on the page now. */
    unread(): void {
      wanted = true;
      schedule();
    },
    dispose(): void {
      document.removeEventListener('visibilitychange', schedule);
      if (timer) clearTimeout(timer);
      send();
    },
  };
}
