import { Types } from 'mongoose';
import type { Logger } from 'pino';
import type { Models } from '../models/index.js';
import type { PostRevisions } from '../../shared/schemas.js';
import { derivedId } from '../db/derived-id.js';
import { createReadablePost } from './readable-post.js';
import type { AuthUser } from './token.service.js';
import type { AccessService } from './access.service.js';
import type { CardService } from './card.service.js';
import { policy } from './policy.js';
import type { PostRecordLike } from './views.js';

/** A post as an edit found it (the pre-image of the edit's update). */
export type ReplacedVersion = Pick<PostRecordLike, '_id' | 'subject' | 'body' | 'bodyHtml' | 'createdAt' | 'editedAt' | 'editCount' | 'editedBy' | 'editReason'> & { authorId: unknown };

/**
 * Edit history: every edit keeps the version it replaced, so readers can see what a post said
 * before ("edited N times" opens it), as Discourse shows revisions. A post edited before history
 * was kept has what it had from then on (its earlier versions are gone).
 */
export function createRevisionService({ models, access, cardService, logger }: { models: Models; access: Pick<AccessService, 'requireRead'>; cardService: Pick<CardService, 'cards'>; logger: Logger }) {
  const { PostRevision } = models;
  const readablePost = createReadablePost({ models, access });

  return {
    /** Keep the version an edit replaced (once the edit is stored, before it is announced); a failure is logged, never thrown. */
    async keep(before: ReplacedVersion): Promise<void> {
      const version = before.editCount ?? 0;
      const writtenBy = before.editedBy ?? null;
      try {
        await PostRevision.updateOne(
          { _id: derivedId('revision', String(before._id), String(version)) },
          {
            $setOnInsert: {
              postId: new Types.ObjectId(String(before._id)),
              version,
              subject: before.subject,
              body: before.body,
              bodyHtml: before.bodyHtml,
              writtenAt: before.editedAt ?? before.createdAt,
              writtenById: new Types.ObjectId(String(writtenBy?.id ?? before.authorId)),
              ...(writtenBy && { writtenByName: writtenBy.username }),
              ...(before.editReason && { reason: before.editReason }),
            },
          },
          { upsert: true },
        );
      } catch (err) {
        logger.warn({ err, postId: String(before._id) }, 'could not keep the version an edit replaced');
      }
    },

    /** GET /posts/:postId/revisions: whoever may read the post (a deleted one: moderators). */
    async list(viewer: AuthUser | null, postId: string): Promise<PostRevisions> {
      policy.requireScope(viewer, 'read');
      const post = await readablePost(viewer, postId);
      const kept = await PostRevision.find({ postId }).sort({ version: 1 }).lean();
      const current = {
        version: post.editCount ?? 0,
        subject: post.subject,
        bodyHtml: post.bodyHtml,
        writtenAt: post.editedAt ?? post.createdAt,
        writtenById: post.editedBy?.id ?? post.authorId,
        writtenByName: post.editedBy?.username,
        reason: post.editReason ?? undefined,
      };
      const all = [...kept.filter((r) => r.version < current.version), current];
      // Names that were not stored with the version (the author's own): from their cards.
      const cards = await cardService.cards([...new Set(all.filter((r) => !r.writtenByName).map((r) => String(r.writtenById)))]);
      return {
        postId,
        revisions: all.map((r) => ({
          version: r.version,
          subject: r.subject,
          bodyHtml: r.bodyHtml,
          writtenAt: r.writtenAt.toISOString(),
          writtenBy: { id: String(r.writtenById), username: r.writtenByName ?? cards.get(String(r.writtenById))?.username ?? '(deleted)' },
          ...(r.reason && { reason: r.reason }),
        })),
      };
    },
  };
}
export type RevisionService = ReturnType<typeof createRevisionService>;
