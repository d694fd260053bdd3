// Members' names by how they begin (GET /users?prefix=, signed-in only), for @mention and
// recipient suggestions. Each prefix is asked once per login: answers are kept, and a longer
// prefix is answered from a shorter one's answer when that was complete (fewer than the most
// the server sends), so typing on after `@al` asks nothing more.
import { LIMITS } from '../../../shared/limits.js';
import type { UserSuggestions } from '../../../shared/schemas.js';
import type { Api } from './api.js';

export type NameSuggestion = UserSuggestions['users'][number];

export interface NameLookup {
  /** The names for `prefix` if known without asking, else null. */
  known(prefix: string): NameSuggestion[] | null;
  /** Ask the server (once for a prefix, however often called); the answer is kept. */
  ask(prefix: string): Promise<NameSuggestion[]>;
}

/** Answers kept per login (oldest dropped first). */
const KEPT = 200;

/** One lookup per `Api`, i.e. per login: another member may be told other names. */
const lookups = new WeakMap<Api, NameLookup>();

/** As the server matches: trimmed, lower-case, from the start of the name. */
const keyOf = (prefix: string) => prefix.trim().toLowerCase();
const startsWith = (key: string) => (u: NameSuggestion) => u.username.toLowerCase().startsWith(key);

export function nameLookup(api: Api): NameLookup {
  let lookup = lookups.get(api);
  if (!lookup) lookups.set(api, (lookup = createLookup(api)));
  return lookup;
}

function createLookup(api: Api): NameLookup {
  const answers = new Map<string, NameSuggestion[]>();
  const asking = new Map<string, Promise<NameSuggestion[]>>();

  function known(prefix: string): NameSuggestion[] | null {
    const key = keyOf(prefix);
    if (!key || key.length > LIMITS.usernameMax) return [];
    const exact = answers.get(key);
    if (exact) return exact;
    for (let i = key.length - 1; i > 0; i--) {
      const shorter = answers.get(key.slice(0, i));
      if (shorter && shorter.length < LIMITS.userSuggestionsMax) return shorter.filter(startsWith(key));
    }
    return null;
  }

  function ask(prefix: string): Promise<NameSuggestion[]> {
    const key = keyOf(prefix);
    const ready = known(key);
    if (ready) return Promise.resolve(ready);
    let pending = asking.get(key);
    if (!pending) {
      pending = api
        .get<UserSuggestions>(`/users?prefix=${encodeURIComponent(key)}`)
        .then(({ users }) => {
          answers.set(key, users);
          if (answers.size > KEPT) answers.delete(answers.keys().next().value!);
          return users;
        })
        .finally(() => asking.delete(key));
      asking.set(key, pending);
    }
    return pending;
  }

  return { known, ask };
}
