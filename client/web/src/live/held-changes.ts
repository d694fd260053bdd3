/**
 * A page's listener to a live store's changes: those that arrive before the page has first
 * drawn its list wait, and are applied in order once it has (`shown()`); after that each is
 * applied as it comes. `stop` ends the listening.
 */
export function heldChanges<C>(subscribe: (listener: (change: C) => void) => () => void, apply: (change: C) => void): { shown(): void; stop(): void } {
  let ready = false;
  const waiting: C[] = [];
  const stop = subscribe((change) => (ready ? apply(change) : waiting.push(change)));
  return {
    shown() {
      ready = true;
      for (const change of waiting.splice(0)) apply(change);
    },
    stop,
  };
}
