import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { CreateForumBody, Forum, ForumPermissions, Topic, UnreadTopics, UpdateForumBody } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';
import { AppError, notFound } from '../errors.js';
import { Types } from 'mongoose';
import { toForumView, toTopicView, pageCountOf, type ForumRecordLike, type TopicRecordLike } from './views.js';
import type { AccessCache } from './access-cache.js';
import type { AccessChanges, AccessService } from './access.service.js';
import type { ModlogService } from './modlog.service.js';
import { tracksUnread, type UnreadService } from './unread.service.js';

type ForumWithPermissions = ForumRecordLike & { permissions?: ForumPermissions | null };

/** The forum view, with its permissions when it is not a public board. */
function forumView(f: ForumWithPermissions): Forum {
  const view = toForumView(f);
  const p = f.permissions;
  if (p && (p.read || p.post || p.reply)) {
    view.permissions = {};
    if (p.read) view.permissions.read = p.read;
    if (p.post) view.permissions.post = p.post;
    if (p.reply) view.permissions.reply = p.reply;
  }
  return view;
}

export function createForumService({ models, access, modlog, accessChanges, accessCache, unread }: { models: Models; access: AccessService; modlog: ModlogService; accessChanges: AccessChanges; accessCache?: Pick<AccessCache, 'forget'>; /** `unread` flags for signed-in members; without it, none. */ unread?: Pick<UnreadService, 'forumsUnread' | 'topicsUnread' | 'unreadAmong' | 'requireTracked'> }) {
  /** The forum rows this viewer may read, in board order; a bot token limited to some forums gets only those. */
  async function readableRows(viewer: AuthUser | null) {
    policy.requireScope(viewer, 'read');
    const forums = await models.Forum.find({}).sort({ order: 1, createdAt: 1 }).lean();
    return access.readableOf(viewer, forums.filter((f) => policy.coversForum(viewer, String(f._id))));
  }

  /** The forums this viewer may read; a bot token limited to some forums sees only those. */
  async function list(viewer: AuthUser | null = null): Promise<Forum[]> {
    const readable = await readableRows(viewer);
    const mayPost = await access.mayEach(viewer, readable, 'post');
    const unreadIn = unread && tracksUnread(viewer) ? await unread.forumsUnread(viewer, readable.map((f) => String(f._id))) : null;
    return readable.map((f, i) => ({
      ...forumView(f as ForumWithPermissions),
      may: { post: mayPost[i] },
      ...(unreadIn && { unread: unreadIn.get(String(f._id)) ?? false }),
    }));
  }

  async function create(user: AuthUser | null, input: CreateForumBody): Promise<Forum> {
    policy.requireAdmin(user);
    if (input.parentId && !(await models.Forum.exists({ _id: input.parentId }))) throw notFound('Parent forum');
    const order = input.order ?? (await models.Forum.countDocuments({}));
    const forum = await models.Forum.create({ title: input.title, description: input.description, order, ...(input.category ? { category: input.category } : {}), ...(input.parentId ? { parentId: input.parentId } : {}), ...(input.approvePosts ? { approvePosts: true } : {}) });
    return forumView(forum.toObject() as ForumWithPermissions);
  }

  /**
   * Admin: title, description, category (null: none), place on the board index, and permissions (null: back to a public board). Sockets that
   * may no longer read the forum leave its rooms before this answers.
   */
  async function update(user: AuthUser | null, forumId: string, input: UpdateForumBody): Promise<Forum> {
    const admin = policy.requireAdmin(user);
    const set: Record<string, unknown> = {};
    const unset: Record<string, 1> = {};
    if (input.title !== undefined) set.title = input.title;
    if (input.description !== undefined) set.description = input.description;
    if (input.order !== undefined) set.order = input.order;
    if (input.category === null) unset.category = 1;
    else if (input.category !== undefined) set.category = input.category;
    if (input.parentId === null) unset.parentId = 1;
    else if (input.parentId !== undefined) {
      await requireParentFor(forumId, input.parentId);
      set.parentId = new Types.ObjectId(input.parentId);
    }
    if (input.approvePosts === true) set.approvePosts = true;
    else if (input.approvePosts === false) unset.approvePosts = 1;
    if (input.permissions === null) unset.permissions = 1;
    else if (input.permissions) {
      // Each list by its own path, not the whole document: FerretDB v1 takes a `$set` of an
      // embedded document whose values equal the stored one's under other names for no change
      // ({reply: X} then {read: X} kept {reply: X}). The same update on MongoDB.
      for (const action of ['read', 'post', 'reply'] as const) {
        const list = input.permissions[action];
        if (list) set[`permissions.${action}`] = list;
        else unset[`permissions.${action}`] = 1;
      }
    }
    const update = { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) };
    const forum = await models.Forum.findOneAndUpdate({ _id: forumId }, update, { new: true }).lean();
    if (!forum) throw notFound('Forum');
    // Posts check the forum's permissions and approval flag against the access cache.
    if (input.permissions !== undefined || input.approvePosts !== undefined) accessCache?.forget('forum', forumId); // before the sockets are checked again
    if (input.permissions !== undefined) await accessChanges.forumChanged(forumId);
    await modlog.record({ action: 'forum.update', actor: admin, target: { type: 'forum', id: forumId }, details: { ...input } });
    return forumView(forum as ForumWithPermissions);
  }

  /** A forum may sit in another that exists and is neither itself nor below it (no loops). */
  async function requireParentFor(forumId: string, parentId: string): Promise<void> {
    const all = await models.Forum.find({}, { parentId: 1 }).lean();
    const parentOf = new Map(all.map((f) => [String(f._id), f.parentId ? String(f.parentId) : null]));
    if (!parentOf.has(forumId)) throw notFound('Forum');
    if (!parentOf.has(parentId)) throw notFound('Parent forum');
    for (let at: string | null = parentId, steps = 0; at && steps <= all.length; at = parentOf.get(at) ?? null, steps++) {
      if (at === forumId) throw new AppError('BAD_REQUEST', 'parentId: a forum cannot sit in itself or in one of its own subforums');
    }
  }

  async function get(forumId: string): Promise<Forum> {
    const forum = await models.Forum.findById(forumId).lean();
    if (!forum) throw notFound('Forum');
    return forumView(forum as ForumWithPermissions);
  }

  /** A forum this viewer may read and follow (its permissions; a bot token also needs `read` and, if limited, this forum). */
  async function readable(viewer: AuthUser | null, forumId: string): Promise<Forum> {
    policy.requireScope(viewer, 'read');
    policy.requireForum(viewer, forumId);
    await access.requireRead(viewer, forumId);
    return get(forumId);
  }

  /** The forums a reader looks across (search, unread): the one named, refused as its listing is, or every one they may read. */
  async function readableRefs(viewer: AuthUser | null, forumId?: string): Promise<Array<{ id: string; title: string }>> {
    if (forumId) {
      const forum = await readable(viewer, forumId);
      return [{ id: forum.id, title: forum.title }];
    }
    return (await readableRows(viewer)).map((f) => ({ id: String(f._id), title: f.title }));
  }

  /**
   * A forum's topics, a page at a time; `solved`: only those with (`yes`) or without (`no`) a
   * chosen solution; `tag`: only those with that tag (announcements and pinned topics too).
   */
  async function topics(forumId: string, page: number, viewer: AuthUser | null = null, filters: { solved?: 'yes' | 'no'; tag?: string } = {}): Promise<{ forum: Forum; topics: Topic[]; page: number; pageCount: number }> {
    const { solved, tag } = filters;
    const forum: Forum = { ...(await readable(viewer, forumId)), may: { post: await access.may(viewer, forumId, 'post') } };
    const live = { deleted: op({ $ne: true }), ...(solved ? { solution: op({ $exists: solved === 'yes' }) } : {}), ...(tag ? { tags: tag } : {}) };
    // Announcements head every page (global ones first), pinned topics the first page, above its
    // page of the others; neither counts toward the pages.
    const plain = { announcement: op({ $exists: false }) };
    const listed = { forumId, pinned: op({ $ne: true }), ...plain, ...live };
    const total = await models.Topic.countDocuments(listed);
    const pageCount = pageCountOf(total, LIMITS.topicsPerPage);
    const current = Math.min(page, pageCount);
    const newestFirst = { lastPostAt: -1, _id: -1 } as const;
    const [announced, pinned, others] = await Promise.all([
      announcementsFor(viewer, forumId, live),
      current === 1 ? models.Topic.find({ forumId, pinned: true, ...plain, ...live }).sort(newestFirst).lean() : [],
      models.Topic.find(listed)
        .sort(newestFirst)
        .skip((current - 1) * LIMITS.topicsPerPage)
        .limit(LIMITS.topicsPerPage)
        .lean(),
    ]);
    const rows = [...announced, ...pinned, ...others];
    const unreadOf = unread && tracksUnread(viewer) ? await unread.topicsUnread(viewer, rows) : null;
    const topics = rows.map((t) => ({ ...toTopicView(t as TopicRecordLike), ...unreadOf?.get(String(t._id)) }));
    return { forum, topics, page: current, pageCount };
  }

  /**
   * The announcements a forum's listing heads with: every global one the viewer may read (from
   * any forum), then the forum's own, newest activity first. Two equality reads (both narrowed
   * by the database, on FerretDB too), not one `$or`.
   */
  async function announcementsFor(viewer: AuthUser | null, forumId: string, live: Record<string, unknown>) {
    const newestFirst = { lastPostAt: -1, _id: -1 } as const;
    const [global, own] = await Promise.all([
      models.Topic.find({ announcement: 'global', ...live }).sort(newestFirst).lean(),
      models.Topic.find({ forumId, announcement: 'forum', ...live }).sort(newestFirst).lean(),
    ]);
    const elsewhere = [...new Set(global.map((t) => String(t.forumId)).filter((f) => f !== forumId))];
    const readable = new Set([forumId]);
    for (const f of elsewhere) if (policy.coversForum(viewer, f) && (await access.canRead(viewer, f))) readable.add(f);
    return [...global.filter((t) => readable.has(String(t.forumId))), ...own];
  }


  /**
   * GET /unread: the member's unread topics across every forum they may read, last posted in
   * first, a page at a time, each with `firstUnread`; and the forums' titles, for the listing.
   */
  async function unreadTopics(viewer: AuthUser | null, page: number): Promise<UnreadTopics> {
    if (!unread) throw new AppError('INTERNAL', 'Unread tracking is off');
    const member = unread.requireTracked(viewer);
    const forums = await readableRefs(member);
    const found = await unread.unreadAmong(member, forums.map((f) => f.id));
    const pageCount = pageCountOf(found.length, LIMITS.topicsPerPage);
    const current = Math.min(page, pageCount);
    const shown = found.slice((current - 1) * LIMITS.topicsPerPage, current * LIMITS.topicsPerPage);
    const rows = shown.length ? await models.Topic.find({ _id: op({ $in: shown.map((t) => new Types.ObjectId(t.topicId)) }) }).lean() : [];
    const byId = new Map(rows.map((t) => [String(t._id), t]));
    const topics = shown.flatMap((t) => {
      const row = byId.get(t.topicId);
      return row ? [{ ...toTopicView(row as TopicRecordLike), unread: true, firstUnread: t.firstUnread }] : [];
    });
    return { topics, forums, total: found.length, page: current, pageCount };
  }

  return { list, create, update, get, readable, readableRefs, topics, unreadTopics };
}
export type ForumService = ReturnType<typeof createForumService>;
