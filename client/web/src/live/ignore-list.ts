import type { UserCard } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { SyncedMemberList, type ListedMember, type OwnLists } from './member-list.js';

/** A member on the ignore list, as `GET /users/me` names them. */
export type IgnoredMember = ListedMember;

/**
 * The members the signed-in member ignores (phpBB's foes), kept in sync across pages and tabs.
 * Pages fold those members' posts away. For a guest it stays empty.
 */
export class IgnoreList extends SyncedMemberList {
  constructor(api: () => Api, userId: string | null, first?: Promise<OwnLists>) {
    super({ field: 'ignoring', route: 'ignore', changedKey: 'forum.ignoreListChanged' }, api, userId, first);
  }

  /** Whether this author's posts are folded away: ignored, and not staff (who cannot be ignored; one promoted since is heard again). */
  folds(author: Pick<UserCard, 'id' | 'role'>): boolean {
    return author.role !== 'moderator' && author.role !== 'admin' && this.has(author.id);
  }

  /** Ignore a member; throws the server's refusal (staff, a friend, the limit). */
  ignore(member: IgnoredMember): Promise<void> {
    return this.add(member);
  }

  /** Stop ignoring a member. */
  unignore(userId: string): Promise<void> {
    return this.remove(userId);
  }
}
