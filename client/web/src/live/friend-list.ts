import type { Api } from '../api.js';
import { SyncedMemberList, type ListedMember, type OwnLists } from './member-list.js';

/** A friend, as `GET /users/me` names them. */
export type Friend = ListedMember;

/**
 * The signed-in member's friends (phpBB's other half of "Friends and Foes"), kept in sync across
 * pages and tabs. Who is online marks them. For a guest it stays empty.
 */
export class FriendList extends SyncedMemberList {
  constructor(api: () => Api, userId: string | null, first?: Promise<OwnLists>) {
    super({ field: 'friends', route: 'friend', changedKey: 'forum.friendListChanged' }, api, userId, first);
  }

  /** Add a friend; throws the server's refusal (oneself, someone ignored, the limit). */
  befriend(member: Friend): Promise<void> {
    return this.add(member);
  }

  /** Remove a friend. */
  unfriend(userId: string): Promise<void> {
    return this.remove(userId);
  }
}
