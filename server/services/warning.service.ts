import { Types } from 'mongoose';
import type { Logger } from 'pino';
import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { Config } from '../config.js';
import type { Warning, WarningList } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import type { ModlogService } from './modlog.service.js';
import type { ConversationService } from './conversation.service.js';
import { policy } from './policy.js';
import { AppError, notFound } from '../errors.js';
import { warningMessage } from './warning-message.js';

type Deps = {
  models: Models;
  config: Pick<Config, 'warningDays'>;
  modlog: Pick<ModlogService, 'record'>;
  /** Tells the member (a private message from the moderator). */
  conversations: Pick<ConversationService, 'start'>;
  logger: Logger;
  now?: () => Date;
};

type StoredWarning = {
  _id: unknown;
  userId: unknown;
  moderatorId: unknown;
  moderatorName: string;
  reason: string;
  postId?: unknown;
  topicId?: unknown;
  postSubject?: string | null;
  createdAt: Date;
  expiresAt: Date;
};

function toView(w: StoredWarning): Warning {
  return {
    id: String(w._id),
    userId: String(w.userId),
    moderator: { id: String(w.moderatorId), username: w.moderatorName },
    reason: w.reason,
    ...(w.postId ? { post: { id: String(w.postId), topicId: String(w.topicId), subject: w.postSubject ?? '' } } : {}),
    createdAt: w.createdAt.toISOString(),
    expiresAt: w.expiresAt.toISOString(),
  };
}

/**
 * phpBB's warnings: a moderator warns a member, for a post of theirs or in general, with a reason;
 * the member is told by a private message from the moderator, and each warning counts as active
 * for WARNING_DAYS. Moderators and the member themself see the list and the active count; a
 * moderator may take a warning back. Each is in the moderation log. Warnings do not ban by
 * themselves: the active count is what a moderator weighs before a ban.
 */
export function createWarningService({ models, config, modlog, conversations, logger, now = () => new Date() }: Deps) {
  const { Warning: WarningModel, User, Post } = models;
  const active = (userId: string) => WarningModel.countDocuments({ userId, expiresAt: op({ $gt: now() }) });

  /** The post a warning is for: the member's own. */
  async function postOf(userId: string, postId: string) {
    const post = await Post.findById(postId, { authorId: 1, topicId: 1, subject: 1 }).lean();
    if (!post) throw notFound('Post');
    if (String(post.authorId) !== userId) throw new AppError('BAD_REQUEST', 'postId: not a post of this member');
    return { id: postId, topicId: String(post.topicId), subject: post.subject };
  }

  async function tell(moderator: AuthUser, username: string, view: Warning): Promise<boolean> {
    try {
      await conversations.start(moderator, { to: [username], ...warningMessage({ reason: view.reason, post: view.post, expiresAt: new Date(view.expiresAt) }), clientId: `warning:${view.id}` });
      return true;
    } catch (err) {
      logger.info({ err, warningId: view.id }, 'could not tell a warned member');
      return false;
    }
  }

  return {
    /** POST /users/:userId/warnings: members only are warned (staff and bots are not). */
    async warn(user: AuthUser | null, userId: string, input: { reason: string; postId?: string }): Promise<{ warning: Warning; active: number; told: boolean }> {
      const moderator = policy.requireModerator(user);
      const target = await User.findById(userId, { role: 1, username: 1 }).lean();
      if (!target) throw notFound('User');
      if (target.role !== 'member') throw new AppError('FORBIDDEN', 'Only members can be warned');
      const post = input.postId ? await postOf(userId, input.postId) : undefined;
      const at = now();
      const row = {
        _id: new Types.ObjectId(),
        userId: new Types.ObjectId(userId),
        moderatorId: new Types.ObjectId(moderator.id),
        moderatorName: moderator.username,
        reason: input.reason,
        ...(post && { postId: new Types.ObjectId(post.id), topicId: new Types.ObjectId(post.topicId), postSubject: post.subject }),
        createdAt: at,
        expiresAt: new Date(at.getTime() + config.warningDays * 86_400_000),
      };
      await WarningModel.collection.insertOne(row);
      const view = toView(row);
      await modlog.record({ action: 'user.warn', actor: moderator, target: { type: 'user', id: userId }, reason: input.reason, details: { username: target.username, warningId: view.id, ...(post && { postId: post.id }), expiresAt: view.expiresAt } });
      const told = await tell(moderator, target.username, view);
      return { warning: view, active: await active(userId), told };
    },

    /** GET /users/:userId/warnings: to moderators, and to the member about themself. */
    async list(user: AuthUser | null, userId: string): Promise<WarningList> {
      const viewer = policy.requireMember(user);
      if (viewer.id !== userId) policy.requireModerator(viewer);
      const rows = (await WarningModel.find({ userId }).sort({ createdAt: -1 }).lean()) as StoredWarning[];
      const at = now().getTime();
      return { warnings: rows.map(toView), active: rows.filter((w) => w.expiresAt.getTime() > at).length };
    },

    /** DELETE /warnings/:warningId: a moderator takes a warning back. */
    async remove(user: AuthUser | null, warningId: string): Promise<{ id: string; deleted: true; active: number }> {
      const moderator = policy.requireModerator(user);
      const gone = (await WarningModel.findOneAndDelete({ _id: warningId }).lean()) as StoredWarning | null;
      if (!gone) throw notFound('Warning');
      const member = await User.findById(gone.userId, { username: 1 }).lean();
      await modlog.record({ action: 'user.unwarn', actor: moderator, target: { type: 'user', id: String(gone.userId) }, details: { username: member?.username ?? '', warningId, reason: gone.reason } });
      return { id: warningId, deleted: true, active: await active(String(gone.userId)) };
    },
  };
}
export type WarningService = ReturnType<typeof createWarningService>;
