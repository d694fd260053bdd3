import type { Models } from '../models/index.js';

/**
 * Whether a member chose to be hidden from who-is-online. Tokens do not carry the flag, so it
 * is read from the user record: fresh for each new socket, and cached for `ttlMs` for HTTP
 * requests (a busy reader must not cost one query per request).
 */
export function createHiddenLookup({ models, ttlMs = 10_000, now = Date.now }: { models: Models; ttlMs?: number; now?: () => number }) {
  const cache = new Map<string, { value: Promise<boolean>; at: number }>();

  function read(userId: string): Promise<boolean> {
    return models.User.findById(userId, { hidden: 1 })
      .lean()
      .then((u) => Boolean(u?.hidden));
  }

  function prune(t: number) {
    if (cache.size < 10_000) return;
    for (const [id, e] of cache) if (t - e.at > ttlMs) cache.delete(id);
  }

  return function isHidden(userId: string, opts: { fresh?: boolean } = {}): Promise<boolean> {
    const t = now();
    const hit = cache.get(userId);
    if (hit && !opts.fresh && t - hit.at <= ttlMs) return hit.value;
    prune(t);
    const value = read(userId);
    cache.set(userId, { value, at: t });
    value.catch(() => {
      if (cache.get(userId)?.value === value) cache.delete(userId);
    });
    return value;
  };
}
export type HiddenLookup = ReturnType<typeof createHiddenLookup>;
