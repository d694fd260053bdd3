/**
 * Fetch a page's data again a little after a burst of events, once per burst: `soon()` may be
 * called for every event, the fetch runs `delayMs` after the first of them. A failed fetch is
 * dropped (the next event tries again); nothing is rendered once disposed.
 */
export function refreshSoon<T>(load: () => Promise<T>, render: (data: T) => void, delayMs: number): { soon(): void; dispose(): void } {
  let alive = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    soon() {
      if (timer || !alive) return;
      timer = setTimeout(() => {
        timer = null;
        load().then(
          (data) => alive && render(data),
          () => undefined,
        );
      }, delayMs);
    },
    dispose() {
      alive = false;
      if (timer) clearTimeout(timer);
    },
  };
}
