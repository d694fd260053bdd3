import type { ForumClient } from '../../../sdk/index.js';

/**
 * Call `then` each time the socket is back after being away: pushes sent meanwhile are lost,
 * so a page that lives on pushes (not on a topic subscription the SDK catches up) fetches
 * itself again. Returns a function that stops listening.
 */
export function onReconnect(client: ForumClient, then: () => void): () => void {
  let away = false;
  return client.onState((state) => {
    if (state === 'reconnecting' || state === 'disconnected') away = true;
    else if (state === 'connected' && away) {
      away = false;
      then();
    }
  });
}
