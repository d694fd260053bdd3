import type { UserCard } from '../../../sdk/index.js';
import type { Api } from '../api.js';

/** A member on the ignore list, as `GET /users/me` names them. */
export interface IgnoredMember {
  id: string;
  username: string;
}

/** Written by a tab that changed the list; the member's other tabs hear it (`storage` events) and fetch it again. */
const CHANGED_KEY = 'forum.ignoreListChanged';

/**
 * The members the signed-in member ignores (phpBB's foes): read from `GET /users/me` when the
 * session starts, changed at once by ignoring and unignoring (here or in another tab of this
 * browser). Pages fold those members' posts away. For a guest it stays empty.
 */
export class IgnoreList {
  /** Resolves once the first list is known (or could not be fetched: then empty); never rejects. */
  readonly ready: Promise<void>;
  private members: IgnoredMember[] = [];
  private readonly listeners = new Set<() => void>();
  /** Bumped by every change made here: a fetch sent before one is older than it. */
  private version = 0;
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key === CHANGED_KEY && event.newValue?.startsWith(`${this.userId} `)) void this.refresh();
  };

  constructor(
    /** REST as the member now (a new token after a password change keeps the list). */
    private readonly api: () => Api,
    /** The signed-in member, or null for a guest. */
    readonly userId: string | null,
  ) {
    if (!userId) {
      this.ready = Promise.resolve();
      return;
    }
    window.addEventListener('storage', this.onStorage);
    this.ready = this.refresh();
  }

  /** Everyone ignored, by name. */
  get list(): readonly IgnoredMember[] {
    return this.members;
  }

  has(userId: string): boolean {
    return this.members.some((m) => m.id === userId);
  }

  /** Whether this author's posts are folded away: ignored, and not staff (who cannot be ignored; one promoted since is heard again). */
  folds(author: Pick<UserCard, 'id' | 'role'>): boolean {
    return author.role !== 'moderator' && author.role !== 'admin' && this.has(author.id);
  }

  /** Ignore a member; throws the server's refusal (staff, the limit). */
  async ignore(member: IgnoredMember): Promise<void> {
    await this.api().request('PUT', `/users/${encodeURIComponent(member.id)}/ignore`);
    if (!this.has(member.id)) this.changed([...this.members, { id: member.id, username: member.username }]);
  }

  /** Stop ignoring a member. */
  async unignore(userId: string): Promise<void> {
    await this.api().request('DELETE', `/users/${encodeURIComponent(userId)}/ignore`);
    if (this.has(userId)) this.changed(this.members.filter((m) => m.id !== userId));
  }

  /** A fresher list from the server (the UCP's own `GET` or `PATCH /users/me` answer). */
  replace(list: IgnoredMember[]): void {
    this.version++;
    this.set(list);
  }

  /** Listen to changes; returns a function that stops listening. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    window.removeEventListener('storage', this.onStorage);
    this.listeners.clear();
  }

  private async refresh(): Promise<void> {
    const before = this.version;
    try {
      const { ignoring } = await this.api().get<{ ignoring?: IgnoredMember[] }>('/users/me');
      if (this.version === before) this.set(ignoring ?? []);
    } catch {
      /* the list stays as it was; the next load tries again */
    }
  }

  private changed(list: IgnoredMember[]): void {
    this.version++;
    this.set(list);
    try {
      localStorage.setItem(CHANGED_KEY, `${this.userId} ${Date.now()}`);
    } catch {
      /* storage full or blocked: the other tabs see it on their next load */
    }
  }

  private set(list: IgnoredMember[]): void {
    // By name, any case, as the server sorts them.
    const key = (m: IgnoredMember) => m.username.toLowerCase();
    this.members = [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    for (const l of this.listeners) l();
  }
}
