import type { UserCard } from '../../sdk/index.js';

/** Who is logged in in this browser: the token and a little about the user. */
export interface Session {
  token: string;
  user: { id: string; username: string; role: UserCard['role'] };
}

/** The localStorage key of the session (other tabs watch it through `storage` events). */
export const SESSION_KEY = 'forum.session';
const SESSION_ID_KEY = 'forum.sessionId';

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s?.token === 'string' && typeof s.user?.id === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

/** Forget the stored session if it is still this token's (never one another tab saved since). */
export function forgetSession(token: string): void {
  if (loadSession()?.token === token) localStorage.removeItem(SESSION_KEY);
}

/** A stable id for this browser, so presence counts one person once across tabs. */
export function browserSessionId(): string {
  let id = localStorage.getItem(SESSION_ID_KEY);
  if (!id || !/^[\w-]{8,64}$/.test(id)) {
    id = crypto.randomUUID();
    localStorage.setItem(SESSION_ID_KEY, id);
  }
  return id;
}
