import type { TopicEvent } from '../../../sdk/index.js';
import type { PatchResult } from './listing-patches.js';

/**
 * A listing kept live from its forums' events: each event is patched into the data and drawn;
 * one that a patch cannot work out asks for the listing again, `delayMs` later, once per burst.
 * Events that come while a fetch is out are held and applied to its answer (the patches skip
 * those the answer already counts, by the forum cursor), so none is lost to a fetch in flight;
 * an answer older than one already drawn is dropped, its held events going onto the newer data.
 * A failed fetch keeps the data it had, with the held events applied.
 */
export function liveListing<T>(opts: { load: () => Promise<T>; render: (data: T) => void; patch: (data: T, event: TopicEvent) => PatchResult; delayMs: number }) {
  let alive = true;
  let data: T | null = null;
  /** Events since the oldest fetch still out; null when none is. */
  let held: TopicEvent[] | null = null;
  let out = 0;
  let sent = 0;
  let drawn = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** Apply events; true if any changed what is drawn. */
  function apply(to: T, events: TopicEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      const result = opts.patch(to, e);
      if (result === 'patched') changed = true;
      else if (result === 'refetch') soon();
    }
    return changed;
  }

  function fetchNow(): Promise<void> {
    const n = ++sent;
    held ??= [];
    out++;
    /**
     * An answer (or a failure: null) came. The newest answer so far becomes the data; the held
     * events then go onto whatever the data now is (the cursors skip those it already counts,
     * so events applied before are not applied twice).
     */
    const settle = (fresh: T | null) => {
      const events = held ?? [];
      if (--out === 0) held = null;
      if (!alive) return;
      const adopted = fresh !== null && n > drawn;
      if (adopted) {
        drawn = n;
        data = fresh;
      }
      if (data && (apply(data, events) || adopted)) opts.render(data);
    };
    return opts.load().then(settle, (err: unknown) => {
      settle(null);
      if (!data) throw err; // the first load: the page shows the error
    });
  }

  function soon(): void {
    if (timer || !alive) return;
    timer = setTimeout(() => {
      timer = null;
      void fetchNow().catch(() => undefined);
    }, opts.delayMs);
  }

  return {
    /** The first load; rejects if it fails. */
    start: fetchNow,
    event(event: TopicEvent): void {
      if (!alive) return;
      if (held) return void held.push(event);
      if (data && apply(data, [event])) opts.render(data);
    },
    /** Ask the server again a little later (after an event no patch could apply). */
    soon,
    /** Ask the server again now (after the reader changed what it shows, e.g. marked it read). */
    now(): void {
      if (alive) void fetchNow().catch(() => undefined);
    },
    dispose(): void {
      alive = false;
      if (timer) clearTimeout(timer);
    },
  };
}
