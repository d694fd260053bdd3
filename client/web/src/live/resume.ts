import type { ForumClient } from '../../../sdk/index.js';

/**
 * socket.io-client does not reconnect by itself after the server closed the connection
 * ("io server disconnect": a restart or deploy calls disconnectSockets). Ask again after a
 * short, jittered pause; if the server is still away, the client's own backoff takes over,
 * and the SDK catches the subscriptions up once it is back. Returns a function that stops.
 */
export function resumeAfterServerDisconnect(client: ForumClient): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const onDisconnect = (reason: string) => {
    if (reason !== 'io server disconnect') return;
    timer = setTimeout(() => {
      timer = null;
      if (!client.socket.connected && client.state !== 'disconnected') client.socket.connect();
    }, 250 + Math.random() * 500);
  };
  client.socket.on('disconnect', onDisconnect);
  return () => {
    client.socket.off('disconnect', onDisconnect);
    if (timer) clearTimeout(timer);
  };
}
