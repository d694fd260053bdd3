import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import type { PostReport, ReportEvent, ReportsPage, ReportStatus } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import { htmlToText, snippetAround } from '../render/snippet.js';
import { AppError, notFound } from '../errors.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import type { ModlogService } from './modlog.service.js';
import { policy } from './policy.js';
import { pageCountOf } from './views.js';

/** Pushes to moderators' sockets (realtime/member-push.ts implements it). */
export interface ReportSink {
  opened(event: ReportEvent): void;
  closed(event: ReportEvent): void;
}

export const noReportSink: ReportSink = { opened() {}, closed() {} };

const SNIPPET_CHARS = 200;

interface StoredReport {
  _id: unknown;
  status: string;
  reason: string;
  reporterId: unknown;
  reporterName: string;
  postId: unknown;
  topicId: unknown;
  forumId: unknown;
  postNumber: number;
  authorId: unknown;
  authorName: string;
  snippet: string;
  topicTitle: string;
  createdAt: Date;
  closedById?: unknown;
  closedByName?: string | null;
  closedAt?: Date | null;
  note?: string | null;
}

function toView(r: StoredReport): PostReport {
  return {
    id: String(r._id),
    status: r.status as ReportStatus,
    reason: r.reason,
    reporter: { id: String(r.reporterId), username: r.reporterName },
    createdAt: r.createdAt.toISOString(),
    post: { id: String(r.postId), topicId: String(r.topicId), forumId: String(r.forumId), number: r.postNumber, author: { id: String(r.authorId), username: r.authorName }, snippet: r.snippet },
    topicTitle: r.topicTitle,
    ...(r.closedById ? { closedBy: { id: String(r.closedById), username: r.closedByName ?? '' } } : {}),
    ...(r.closedAt ? { closedAt: r.closedAt.toISOString() } : {}),
    ...(r.note ? { note: r.note } : {}),
  };
}

type Deps = {
  models: Models;
  access: Pick<AccessService, 'requireRead'>;
  modlog: Pick<ModlogService, 'record'>;
  sink?: ReportSink;
};

/**
 * phpBB's "Report this post": a member flags a post for the moderators, who see the queue live
 * and close each report (written to the moderation log). A member has at most one open report
 * per post: reporting it again updates the reason.
 */
export function createReportService({ models, access, modlog, sink = noReportSink }: Deps) {
  const { Report, Post, Topic, User } = models;
  const openCount = () => Report.countDocuments({ status: 'open' });

  return {
    /** POST /posts/:postId/report. `created` is false when the member's open report was updated. */
    async report(user: AuthUser | null, postId: string, reason: string): Promise<{ report: PostReport; created: boolean }> {
      const member = policy.requireMember(user);
      policy.requireScope(member, 'post');
      const post = await Post.findById(postId, { topicId: 1, forumId: 1, authorId: 1, number: 1, bodyHtml: 1, deleted: 1 }).lean();
      if (!post || post.deleted) throw notFound('Post');
      const topic = await Topic.findById(post.topicId, { title: 1, deleted: 1, forumId: 1 }).lean();
      if (!topic || (topic.deleted && !policy.isModerator(member))) throw notFound('Post');
      policy.requireForum(member, String(topic.forumId));
      await access.requireRead(member, String(topic.forumId));
      if (String(post.authorId) === member.id) throw new AppError('FORBIDDEN', 'You cannot report your own post');

      const existing = await Report.findOneAndUpdate({ postId, reporterId: member.id, status: 'open' }, { $set: { reason } }, { new: true }).lean();
      if (existing) {
        const view = toView(existing as StoredReport);
        sink.opened({ report: view, openCount: await openCount() });
        return { report: view, created: false };
      }
      const author = await User.findById(post.authorId, { username: 1 }).lean();
      const doc = {
        _id: new Types.ObjectId(),
        status: 'open',
        reason,
        reporterId: new Types.ObjectId(member.id),
        reporterName: member.username,
        postId: new Types.ObjectId(postId),
        topicId: post.topicId,
        forumId: topic.forumId,
        postNumber: post.number,
        authorId: post.authorId,
        authorName: author?.username ?? '(deleted)',
        snippet: snippetAround(htmlToText(post.bodyHtml), [], SNIPPET_CHARS),
        topicTitle: topic.title,
        createdAt: new Date(),
      };
      await Report.collection.insertOne(doc);
      const view = toView(doc);
      sink.opened({ report: view, openCount: await openCount() });
      return { report: view, created: true };
    },

    /** GET /reports: the queue (open or closed), newest first. Moderators only. */
    async list(user: AuthUser | null, status: ReportStatus, page: number): Promise<ReportsPage> {
      policy.requireModerator(user);
      const total = await Report.countDocuments({ status });
      const pageCount = pageCountOf(total, LIMITS.reportsPerPage);
      const p = Math.min(page, pageCount);
      const rows = await Report.find({ status })
        .sort({ createdAt: -1, _id: -1 })
        .skip((p - 1) * LIMITS.reportsPerPage)
        .limit(LIMITS.reportsPerPage)
        .lean();
      return { reports: rows.map((r) => toView(r as StoredReport)), openCount: status === 'open' ? total : await openCount(), page: p, pageCount };
    },

    /** POST /reports/:reportId/close. Closing a closed report changes nothing and answers it. */
    async close(user: AuthUser | null, reportId: string, note?: string): Promise<{ report: PostReport }> {
      const moderator = policy.requireModerator(user);
      const closed = await Report.findOneAndUpdate(
        { _id: reportId, status: 'open' },
        { $set: { status: 'closed', closedById: new Types.ObjectId(moderator.id), closedByName: moderator.username, closedAt: new Date(), ...(note ? { note } : {}) } },
        { new: true },
      ).lean();
      if (!closed) {
        const current = await Report.findById(reportId).lean();
        if (!current) throw notFound('Report');
        return { report: toView(current as StoredReport) };
      }
      const view = toView(closed as StoredReport);
      await modlog.record({ action: 'report.close', actor: moderator, target: { type: 'post', id: view.post.id }, ...(note ? { reason: note } : {}), details: { reportId, topicId: view.post.topicId, reporter: view.reporter.username } });
      sink.closed({ report: view, openCount: await openCount() });
      return { report: view };
    },
  };
}
export type ReportService = ReturnType<typeof createReportService>;
