import type { Api } from '../api.js';

/** A member on one of the signed-in member's lists, as `GET /users/me` names them. */
export interface ListedMember {
  id: string;
  username: string;
}

/** The lists `GET /users/me` answers, by name. */
export interface OwnLists {
  ignoring?: ListedMember[];
  friends?: ListedMember[];
}

/** Which list: its field in `GET /users/me`, its route (`PUT`/`DELETE /users/:id/<route>`), and the storage key its changes are announced under. */
export interface MemberListKind {
  field: keyof OwnLists;
  route: string;
  changedKey: string;
}

/**
 * One of the signed-in member's lists of members (ignored, friends): read from `GET /users/me`
 * when the session starts, changed at once by adding and removing (here or in another tab of
 * this browser: the tab that changed it writes `changedKey`, the others hear the `storage`
 * event and fetch it again). For a guest it stays empty.
 */
export class SyncedMemberList {
  /** Resolves once the first list is known (or could not be fetched: then empty); never rejects. */
  readonly ready: Promise<void>;
  private members: ListedMember[] = [];
  private readonly listeners = new Set<() => void>();
  /** Bumped by every change made here: a fetch sent before one is older than it. */
  private version = 0;
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key === this.kind.changedKey && event.newValue?.startsWith(`${this.userId} `)) void this.refresh();
  };

  constructor(
    private readonly kind: MemberListKind,
    /** REST as the member now (a new token after a password change keeps the list). */
    private readonly api: () => Api,
    /** The signed-in member, or null for a guest. */
    readonly userId: string | null,
    /** The session's first `GET /users/me`, when the shell shares one between its lists. */
    first?: Promise<OwnLists>,
  ) {
    if (!userId) {
      this.ready = Promise.resolve();
      return;
    }
    window.addEventListener('storage', this.onStorage);
    this.ready = this.refresh(first);
  }

  /** Everyone on the list, by name. */
  get list(): readonly ListedMember[] {
    return this.members;
  }

  has(userId: string): boolean {
    return this.members.some((m) => m.id === userId);
  }

  /** A fresher list from the server (the UCP's own `GET` or `PATCH /users/me` answer). */
  replace(list: ListedMember[] | undefined): void {
    this.version++;
    this.set(list ?? []);
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

  /** Put a member on the list; throws the server's refusal. */
  protected async add(member: ListedMember): Promise<void> {
    await this.api().request('PUT', this.path(member.id));
    if (!this.has(member.id)) this.changed([...this.members, { id: member.id, username: member.username }]);
  }

  /** Take a member off the list; throws the server's refusal. */
  protected async remove(userId: string): Promise<void> {
    await this.api().request('DELETE', this.path(userId));
    if (this.has(userId)) this.changed(this.members.filter((m) => m.id !== userId));
  }

  private path(userId: string): string {
    return `/users/${encodeURIComponent(userId)}/${this.kind.route}`;
  }

  private async refresh(fetched: Promise<OwnLists> = this.api().get<OwnLists>('/users/me')): Promise<void> {
    const before = this.version;
    try {
      const lists = await fetched;
      if (this.version === before) this.set(lists[this.kind.field] ?? []);
    } catch {
      /* the list stays as it was; the next load tries again */
    }
  }

  private changed(list: ListedMember[]): void {
    this.version++;
    this.set(list);
    try {
      localStorage.setItem(this.kind.changedKey, `${this.userId} ${Date.now()}`);
    } catch {
      /* storage full or blocked: the other tabs see it on their next load */
    }
  }

  private set(list: ListedMember[]): void {
    // By name, any case, as the server sorts them.
    const key = (m: ListedMember) => m.username.toLowerCase();
    this.members = [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    for (const l of this.listeners) l();
  }
}
