import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { ForumPermissions } from '../../shared/schemas.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';
import { AppError, notFound } from '../errors.js';
import type { AccessCache } from './access-cache.js';

export type ForumAction = 'read' | 'post' | 'reply';
const ACTIONS: ForumAction[] = ['read', 'post', 'reply'];

/** A forum without permissions is a public board: everyone reads, members and bots write. */
export const PUBLIC_BOARD: Required<ForumPermissions> = {
  read: ['guest', 'member', 'bot'],
  post: ['member', 'bot'],
  reply: ['member', 'bot'],
};

/** What the checks need of a forum record. */
export interface ForumAccessRecord {
  _id: unknown;
  permissions?: { read?: string[] | null; post?: string[] | null; reply?: string[] | null } | null;
  /** Every member's post here waits for a moderator (see approval.service). */
  approvePosts?: boolean | null;
}

/**
 * Live effects of access changes, carried out by realtime/access-enforcer.ts. Each resolves
 * once the sockets concerned have been dealt with, so an answer to the admin comes after.
 */
export interface AccessChanges {
  /** A forum's permissions changed: sockets in its rooms that may no longer read it leave them. */
  forumChanged(forumId: string): Promise<void>;
  /** A user's groups changed: their sockets leave the rooms they may no longer read. */
  userChanged(userId: string): Promise<void>;
  /** A topic moved forum: its subscribers who may not read the new forum leave its room. */
  topicMoved(topicId: string): Promise<void>;
  /** A topic was deleted: its subscribers leave its room, moderators excepted. */
  topicDeleted(topicId: string): Promise<void>;
  /** A user was banned: every socket of theirs is disconnected (and refused until `until`). */
  userBanned(userId: string, until: Date): Promise<void>;
  userUnbanned(userId: string): void;
  /** A member chose to be hidden from who-is-online, or shown again: their open sockets show it at once. */
  userHiddenChanged(userId: string, hidden: boolean): Promise<void>;
}
export const noAccessChanges: AccessChanges = {
  forumChanged: async () => {},
  userChanged: async () => {},
  topicMoved: async () => {},
  topicDeleted: async () => {},
  userBanned: async () => {},
  userUnbanned: () => {},
  userHiddenChanged: async () => {},
};

/** The effective list for one action. */
export const entriesFor = (forum: ForumAccessRecord, action: ForumAction): string[] => forum.permissions?.[action] ?? PUBLIC_BOARD[action];

/** Whether any list names a group (only then are the user's groups needed). */
export const namesGroups = (forum: ForumAccessRecord) => ACTIONS.some((a) => entriesFor(forum, a).some((e) => e.startsWith('group:')));

function listAllows(entries: string[], user: AuthUser | null, groups: readonly string[]): boolean {
  return entries.some((e) => e === 'guest' || (user !== null && (e === user.role || (e.startsWith('group:') && groups.includes(e.slice(6))))));
}

/**
 * The rule, pure: moderators and admins may everything; otherwise reading needs an entry in
 * `read`, and posting or replying needs one in `read` and one in that action's list.
 * `guest` names everyone (a list with it is open to all); `group:<name>` matches the
 * user's groups exactly (case counts).
 */
export function permits(user: AuthUser | null, groups: readonly string[], forum: ForumAccessRecord, action: ForumAction): boolean {
  if (policy.isModerator(user)) return true;
  if (!listAllows(entriesFor(forum, 'read'), user, groups)) return false;
  return action === 'read' || listAllows(entriesFor(forum, action), user, groups);
}

/**
 * Whether starting a topic (`post`) or replying (`reply`) in this forum would pass the write
 * paths' checks (post.service.ts createTopic and reply): signed in, a token's `post` scope and
 * forum limit, and the forum's permission. A topic's lock and deletion are the caller's to add.
 */
export function mayWrite(user: AuthUser | null, groups: readonly string[], forum: ForumAccessRecord, action: 'post' | 'reply'): boolean {
  if (!user) return false;
  if (user.scopes && !user.scopes.includes('post')) return false;
  if (!policy.coversForum(user, String(forum._id))) return false;
  return permits(user, groups, forum, action);
}

const REFUSALS: Record<ForumAction, string> = {
  read: 'You may not read this forum',
  post: 'You may not start topics in this forum',
  reply: 'You may not reply in this forum',
};

/**
 * Forum permissions, read through the access cache when given one (a change applies at once on
 * the node that makes it and, through the adapter, within moments on the others; posts check
 * again against their claim) or from the database every time. A refusal is UNAUTHORIZED for a
 * guest (logging in may help) and FORBIDDEN for a signed-in user.
 */
export function createAccessService({ models, cache }: { models: Models; /** Forum permissions from memory (see access-cache.ts); without it, read every time. */ cache?: Pick<AccessCache, 'forum'> }) {
  const { Forum, Topic, User } = models;

  async function groupsOf(user: AuthUser | null): Promise<string[]> {
    if (!user) return [];
    const found = await User.findById(user.id, { groups: 1 }).lean();
    return found?.groups ?? [];
  }

  async function loadForum(forumId: string): Promise<ForumAccessRecord> {
    const forum = cache ? await cache.forum(forumId) : await Forum.findById(forumId, { permissions: 1 }).lean();
    if (!forum) throw notFound('Forum');
    return forum;
  }

  function refuse(user: AuthUser | null, forum: ForumAccessRecord, groups: readonly string[], action: ForumAction): never {
    const failed = action !== 'read' && permits(user, groups, forum, 'read') ? action : 'read';
    if (!user) throw new AppError('UNAUTHORIZED', `${REFUSALS[failed]}: log in first`);
    throw new AppError('FORBIDDEN', REFUSALS[failed]);
  }

  /** Whether the user may do `action` in the forum (a record, or an id to look up: NOT_FOUND if none). */
  async function can(user: AuthUser | null, forum: ForumAccessRecord | string, action: ForumAction): Promise<boolean> {
    const record = typeof forum === 'string' ? await loadForum(forum) : forum;
    if (policy.isModerator(user)) return true;
    return permits(user, namesGroups(record) ? await groupsOf(user) : [], record, action);
  }

  async function demand(user: AuthUser | null, forumId: string, action: ForumAction): Promise<void> {
    const forum = await loadForum(forumId);
    if (policy.isModerator(user)) return;
    const groups = namesGroups(forum) ? await groupsOf(user) : [];
    if (!permits(user, groups, forum, action)) refuse(user, forum, groups, action);
  }

  /** Keep the forums this user may read (one groups lookup at most). */
  async function readableOf<F extends ForumAccessRecord>(user: AuthUser | null, forums: F[]): Promise<F[]> {
    if (policy.isModerator(user)) return forums;
    const groups = forums.some(namesGroups) ? await groupsOf(user) : [];
    return forums.filter((f) => permits(user, groups, f, 'read'));
  }

  /**
   * The `may` flags of REST answers: for each forum, whether this user may `action` there (see
   * mayWrite; one groups lookup at most). Per request, never cached across users.
   */
  async function mayEach(user: AuthUser | null, forums: ForumAccessRecord[], action: 'post' | 'reply'): Promise<boolean[]> {
    const groups = user && !policy.isModerator(user) && forums.some(namesGroups) ? await groupsOf(user) : [];
    return forums.map((f) => mayWrite(user, groups, f, action));
  }

  return {
    canRead: (user: AuthUser | null, forum: ForumAccessRecord | string) => can(user, forum, 'read'),
    mayEach,
    /** mayWrite for one forum by id, its permissions read as the checks read them (NOT_FOUND if none). */
    async may(user: AuthUser | null, forumId: string, action: 'post' | 'reply'): Promise<boolean> {
      return (await mayEach(user, [await loadForum(forumId)], action))[0];
    },
    can,
    requireRead: (user: AuthUser | null, forumId: string) => demand(user, forumId, 'read'),
    requirePost: (user: AuthUser | null, forumId: string) => demand(user, forumId, 'post'),
    requireReply: (user: AuthUser | null, forumId: string) => demand(user, forumId, 'reply'),
    /** Editing or deleting one's own post: read, and either post or reply. */
    async requireWrite(user: AuthUser | null, forumId: string): Promise<void> {
      const forum = await loadForum(forumId);
      if (policy.isModerator(user)) return;
      const groups = namesGroups(forum) ? await groupsOf(user) : [];
      if (!permits(user, groups, forum, 'post') && !permits(user, groups, forum, 'reply')) refuse(user, forum, groups, 'reply');
    },
    readableOf,

    // ----- batch lookups for the realtime enforcer (one query each) -----
    async forumsOfTopics(topicIds: string[]): Promise<Map<string, string>> {
      if (!topicIds.length) return new Map();
      const rows = await Topic.find({ _id: op({ $in: topicIds }) }, { forumId: 1 }).lean();
      return new Map(rows.map((t) => [String(t._id), String(t.forumId)]));
    },
    async forumsByIds(forumIds: string[]): Promise<Map<string, ForumAccessRecord>> {
      if (!forumIds.length) return new Map();
      const rows = await Forum.find({ _id: op({ $in: forumIds }) }, { permissions: 1 }).lean();
      return new Map(rows.map((f) => [String(f._id), f as ForumAccessRecord]));
    },
    async groupsOfUsers(userIds: string[]): Promise<Map<string, string[]>> {
      if (!userIds.length) return new Map();
      const rows = await User.find({ _id: op({ $in: userIds }) }, { groups: 1 }).lean();
      return new Map(rows.map((u) => [String(u._id), u.groups ?? []]));
    },
    async topicIdsIn(forumId: string): Promise<string[]> {
      const rows = await Topic.find({ forumId }, { _id: 1 }).lean();
      return rows.map((t) => String(t._id));
    },
  };
}
export type AccessService = ReturnType<typeof createAccessService>;
