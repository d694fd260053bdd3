import type { UserCard } from '../../sdk/index.js';

/** Who is logged in in this browser: the token and a little about the user. */
export interface Session {
  token: string;
  user: { id: string; username: string; role: UserCard['role'] };
}

const KEY = 'forum.session';
const SESSION_ID_KEY = 'forum.sessionId';

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return typeof s?.token === 'string' && typeof s.user?.id === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
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
