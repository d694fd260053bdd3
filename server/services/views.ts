import type { Post, Topic, Forum, PostRef, UserCard } from '../../shared/schemas.js';

type RefRecord = { id: string; topicId: string; subject: string; authorId: string; authorName: string; createdAt: Date } | null | undefined;

export function toPostRef(ref: RefRecord): PostRef | null {
  if (!ref) return null;
  return { id: ref.id, topicId: ref.topicId, subject: ref.subject, authorId: ref.authorId, authorName: ref.authorName, createdAt: ref.createdAt.toISOString() };
}

export interface PostRecordLike {
  _id: unknown;
  topicId: unknown;
  forumId: unknown;
  subject: string;
  body: string;
  bodyHtml: string;
  createdAt: Date;
  editedAt?: Date | null;
  editCount?: number | null;
  editedBy?: { id: unknown; username: string } | null;
  editReason?: string | null;
  number: number;
  seq: number;
  thanksCount: number;
}

export function toPostView(p: PostRecordLike, author: UserCard, thankedBy?: string[], thankedByNames?: string[]): Post {
  const view: Post = {
    id: String(p._id),
    topicId: String(p.topicId),
    forumId: String(p.forumId),
    subject: p.subject,
    body: p.body,
    bodyHtml: p.bodyHtml,
    author,
    createdAt: p.createdAt.toISOString(),
    thanksCount: p.thanksCount,
    number: p.number,
    seq: p.seq,
  };
  if (p.editedAt) view.editedAt = p.editedAt.toISOString();
  if (p.editCount) view.editCount = p.editCount;
  if (p.editedBy) view.editedBy = { id: String(p.editedBy.id), username: p.editedBy.username };
  if (p.editReason) view.editReason = p.editReason;
  if (thankedBy) view.thankedBy = thankedBy;
  if (thankedByNames) view.thankedByNames = thankedByNames;
  return view;
}

export interface TopicRecordLike {
  _id: unknown;
  forumId: unknown;
  title: string;
  authorId: unknown;
  authorName: string;
  createdAt: Date;
  postCount: number;
  views?: number | null;
  locked?: boolean | null;
  pinned?: boolean | null;
  announcement?: string | null;
  deleted?: boolean | null;
  mergedInto?: unknown;
  tags?: string[] | null;
  pollId?: unknown;
  solution?: { postId: unknown; number: number; authorId: unknown; authorName: string } | null;
  seq: number;
  lastPost?: RefRecord;
}

export function toTopicView(t: TopicRecordLike, seq = t.seq): Topic {
  return {
    id: String(t._id),
    forumId: String(t.forumId),
    title: t.title,
    authorId: String(t.authorId),
    authorName: t.authorName,
    createdAt: t.createdAt.toISOString(),
    postCount: t.postCount,
    views: t.views ?? 0,
    locked: !!t.locked,
    ...(t.pinned && { pinned: true as const }),
    ...((t.announcement === 'forum' || t.announcement === 'global') && { announcement: t.announcement }),
    ...(t.deleted && { deleted: true as const }),
    ...(t.deleted && t.mergedInto ? { mergedInto: String(t.mergedInto) } : {}),
    ...(t.pollId ? { hasPoll: true as const } : {}),
    ...(t.tags?.length ? { tags: [...t.tags] } : {}),
    ...(t.solution ? { solution: { postId: String(t.solution.postId), number: t.solution.number, authorId: String(t.solution.authorId), authorName: t.solution.authorName } } : {}),
    seq,
    lastPost: toPostRef(t.lastPost),
  };
}

export interface ForumRecordLike {
  _id: unknown;
  title: string;
  description?: string | null;
  topicCount: number;
  postCount: number;
  lastPost?: RefRecord;
  seq: number;
  order?: number | null;
  category?: string | null;
  parentId?: unknown;
  approvePosts?: boolean | null;
}

export function toForumView(f: ForumRecordLike): Forum {
  return {
    id: String(f._id),
    title: f.title,
    description: f.description ?? '',
    topicCount: f.topicCount,
    postCount: f.postCount,
    lastPost: toPostRef(f.lastPost),
    seq: f.seq,
    order: f.order ?? 0,
    ...(f.category ? { category: f.category } : {}),
    ...(f.parentId ? { parentId: String(f.parentId) } : {}),
    ...(f.approvePosts ? { approvePosts: true as const } : {}),
  };
}

export const pageCountOf = (items: number, perPage: number) => Math.max(1, Math.ceil(items / perPage));
