import type { Api } from '../api.js';

/** How long the marker waits after the last post seen before it tells the server (one request per burst). */
const MARK_DELAY_MS = 500;

/**
 * Tells the server how far a member has read a topic (`POST /topics/:topicId/read`): the highest
 * post number shown, once on opening a page and again as live posts appear on it, but only
 * while the tab is in view (posts that came to a hidden tab count once it is shown again).
 * Only ever raises the number, and sends at most one request per burst; a failure is left for
 * the next.
 */
export function readMarker(api: Api, topicId: string) {
  let sent = 0;
  let wanted = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function schedule(): void {
    if (!document.hidden && wanted > sent) timer ??= setTimeout(send, MARK_DELAY_MS);
  }
  document.addEventListener('visibilitychange', schedule);

  function send(): void {
    timer = null;
    if (wanted <= sent || document.hidden) return;
    const number = wanted;
    sent = number;
    api.request('POST', `/topics/${encodeURIComponent(topicId)}/read`, { number }).catch(() => {
      if (sent === number) sent = 0; // try again with the next post seen
    });
  }

  return {
    /** The member has now seen the post numbered `number`. */
    seen(number: number): void {
      if (number <= wanted) return;
      wanted = number;
      schedule();
    },
    /** Send what is pending now (the page is closing). */
    dispose(): void {
      document.removeEventListener('visibilitychange', schedule);
      if (timer) clearTimeout(timer);
      send();
    },
  };
}
