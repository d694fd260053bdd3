import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import { LIMITS } from '../../shared/limits.js';
import { AppError, notFound } from '../errors.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';

/**
 * phpBB's friends (the other half of "Friends and Foes"): a member keeps a list of members whose
 * presence they want to see at a glance (the web marks them in who is online). A friend cannot
 * be one's foe at once (phpBB's rule): ignoring one, or befriending someone ignored, is refused.
 * The list is on the member's own record, read by `_id`.
 */
export function createFriendService({ models }: { models: Models }) {
  const { User } = models;

  async function target(me: AuthUser, userId: string) {
    if (userId === me.id) throw new AppError('BAD_REQUEST', 'You cannot befriend yourself');
    const other = await User.findById(userId, { username: 1 }).lean();
    if (!other) throw notFound('User');
    return other;
  }

  return {
    /** PUT /users/:userId/friend. A friend already changes nothing. */
    async friend(user: AuthUser | null, userId: string): Promise<{ userId: string; friend: true }> {
      const me = policy.requireMember(user);
      const other = await target(me, userId);
      const mine = await User.findById(me.id, { friends: 1, ignoring: 1 }).lean();
      const friends = (mine?.friends ?? []).map(String);
      if (friends.includes(userId)) return { userId, friend: true };
      if ((mine?.ignoring ?? []).some((id) => String(id) === userId)) throw new AppError('CONFLICT', `You are ignoring ${other.username}; stop ignoring them first`);
      if (friends.length >= LIMITS.friendsMax) throw new AppError('CONFLICT', `You may have at most ${LIMITS.friendsMax} friends; remove one first`);
      await User.updateOne({ _id: me.id }, { $addToSet: { friends: new Types.ObjectId(userId) } });
      return { userId, friend: true };
    },

    /** DELETE /users/:userId/friend. */
    async unfriend(user: AuthUser | null, userId: string): Promise<{ userId: string; friend: false }> {
      const me = policy.requireMember(user);
      await target(me, userId);
      await User.updateOne({ _id: me.id }, { $pull: { friends: new Types.ObjectId(userId) } });
      return { userId, friend: false };
    },
  };
}
export type FriendService = ReturnType<typeof createFriendService>;
