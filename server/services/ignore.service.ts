import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import { LIMITS } from '../../shared/limits.js';
import { op } from '../db/connect.js';
import { AppError, notFound } from '../errors.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';

/**
 * phpBB's foes, Discourse's "ignore": a member ignores another, whose posts their browser folds
 * away, whose mentions, quotes, replies and thanks no longer notify them, and who may not start
 * a private conversation with them. Staff cannot be ignored (phpBB's rule: they must be heard).
 * The list is on the member's own record, read by `_id` (FerretDB pushes `_id` down).
 */
export function createIgnoreService({ models }: { models: Models }) {
  const { User } = models;

  async function target(me: AuthUser, userId: string) {
    if (userId === me.id) throw new AppError('BAD_REQUEST', 'You cannot ignore yourself');
    const other = await User.findById(userId, { username: 1, role: 1 }).lean();
    if (!other) throw notFound('User');
    return other;
  }

  return {
    /** PUT /users/:userId/ignore. Ignoring someone already ignored changes nothing. */
    async ignore(user: AuthUser | null, userId: string): Promise<{ userId: string; ignoring: true }> {
      const me = policy.requireMember(user);
      const other = await target(me, userId);
      if (other.role === 'moderator' || other.role === 'admin') throw new AppError('FORBIDDEN', 'Moderators and admins cannot be ignored');
      const mine = await User.findById(me.id, { ignoring: 1, friends: 1 }).lean();
      const list = (mine?.ignoring ?? []).map(String);
      if (list.includes(userId)) return { userId, ignoring: true };
      if ((mine?.friends ?? []).some((id) => String(id) === userId)) throw new AppError('CONFLICT', `${other.username} is your friend; remove them from your friends first`);
      if (list.length >= LIMITS.ignoredMax) throw new AppError('CONFLICT', `You may ignore at most ${LIMITS.ignoredMax} members; stop ignoring one first`);
      await User.updateOne({ _id: me.id }, { $addToSet: { ignoring: new Types.ObjectId(userId) } });
      return { userId, ignoring: true };
    },

    /** DELETE /users/:userId/ignore. */
    async unignore(user: AuthUser | null, userId: string): Promise<{ userId: string; ignoring: false }> {
      const me = policy.requireMember(user);
      await target(me, userId);
      await User.updateOne({ _id: me.id }, { $pull: { ignoring: new Types.ObjectId(userId) } });
      return { userId, ignoring: false };
    },

    /** Members by name, in name order (a member's `ignoring` list, for GET /users/me). */
    async named(ids: unknown[]): Promise<Array<{ id: string; username: string }>> {
      if (!ids.length) return [];
      const rows = await User.find({ _id: op({ $in: ids }) }, { username: 1, usernameLower: 1 }).sort({ usernameLower: 1 }).lean();
      return rows.map((u) => ({ id: String(u._id), username: u.username }));
    },

    /** Of these members, those who ignore `actorId`. */
    async whoIgnore(memberIds: string[], actorId: string): Promise<Set<string>> {
      if (!memberIds.length) return new Set();
      const rows = await User.find({ _id: op({ $in: memberIds.map((id) => new Types.ObjectId(id)) }) }, { ignoring: 1 }).lean();
      return new Set(rows.filter((u) => (u.ignoring ?? []).some((id) => String(id) === actorId)).map((u) => String(u._id)));
    },
  };
}
export type IgnoreService = ReturnType<typeof createIgnoreService>;
