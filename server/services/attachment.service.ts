import { randomBytes } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { Types } from 'mongoose';
import type { Models } from '../models/index.js';
import type { Config } from '../config.js';
import { op } from '../db/connect.js';
import { AppError, notFound } from '../errors.js';
import { attachmentType, type Attachment, type AttachmentType, type MyAttachments } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import type { AuthUser } from './token.service.js';
import type { ModlogService } from './modlog.service.js';
import { policy } from './policy.js';
import { pageCountOf } from './views.js';
import { cleanFileName } from './file-names.js';
import { formatBytes } from '../../shared/format-bytes.js';
import { attachmentInUse } from './attachment-uses.js';

const ALLOWED = new Set<string>(attachmentType.options);
const ALLOWED_TEXT = 'PNG, JPEG, GIF and WebP images and PDF files';
/** Uploads the orphan sweep looks at per run (each costs a few queries). */
const ORPHAN_SWEEP_BATCH = 50;

/** An uploaded file as the multipart parser hands it over. */
export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

interface AttachmentRecordLike {
  _id: string;
  name: string;
  type: string;
  size: number;
  createdAt: Date;
}

export const attachmentUrl = (id: string) => `/attachments/${id}`;

function toView(r: AttachmentRecordLike): Attachment {
  return { id: r._id, url: attachmentUrl(r._id), name: r.name, type: r.type as AttachmentType, size: r.size, createdAt: r.createdAt.toISOString() };
}

/**
 * Attachments: members upload files (the type is read from the bytes, and only images and PDFs
 * are kept), each counted against the member's quota by one conditional `$inc` before it is
 * stored, so concurrent uploads cannot overrun it. Anyone with a file's URL may fetch it.
 */
export function createAttachmentService({ models, config, modlog }: { models: Models; config: Config; modlog: Pick<ModlogService, 'record'> }) {
  const { Attachment: Files, User } = models;

  /** Who may upload at all: checked before the upload's body is read. */
  function requireUploader(user: AuthUser | null): AuthUser {
    const u = policy.requireMember(user);
    policy.requireScope(u, 'post');
    if (config.attachmentQuotaBytes === 0) throw new AppError('FORBIDDEN', 'Attachments are turned off on this board');
    return u;
  }

  /** Count `size` bytes against the member's quota, unless it would be exceeded. */
  async function reserve(userId: string, size: number): Promise<void> {
    const quota = config.attachmentQuotaBytes;
    const room = quota - size;
    if (room >= 0) {
      const taken = await User.updateOne(
        { _id: userId, $or: [{ attachmentBytes: op({ $exists: false }) }, { attachmentBytes: op({ $lte: room }) }] },
        { $inc: { attachmentBytes: size } },
      );
      if (taken.matchedCount > 0) return;
    }
    const used = (await User.findById(userId, { attachmentBytes: 1 }).lean())?.attachmentBytes ?? 0;
    throw new AppError('FORBIDDEN', `Your attachments take ${formatBytes(used)} of your ${formatBytes(quota)}; delete some to make room for this file (${formatBytes(size)})`);
  }

  async function release(userId: unknown, size: number): Promise<void> {
    await User.updateOne({ _id: userId }, { $inc: { attachmentBytes: -size } });
  }

  async function upload(user: AuthUser | null, file: UploadedFile | undefined): Promise<{ attachment: Attachment }> {
    const owner = requireUploader(user);
    if (!file || file.buffer.length === 0) throw new AppError('BAD_REQUEST', 'Send one file, in the form field "file"');
    const sniffed = await fileTypeFromBuffer(file.buffer);
    if (!sniffed || !ALLOWED.has(sniffed.mime)) throw new AppError('BAD_REQUEST', `Only ${ALLOWED_TEXT} may be attached`);
    const size = file.buffer.length;
    await reserve(owner.id, size);
    const doc = {
      _id: randomBytes(16).toString('hex'),
      ownerId: new Types.ObjectId(owner.id),
      name: cleanFileName(file.originalname, sniffed.ext),
      type: sniffed.mime,
      size,
      data: file.buffer,
      createdAt: new Date(),
      used: false,
    };
    try {
      await Files.collection.insertOne(doc as never);
    } catch (err) {
      await release(owner.id, size);
      throw err;
    }
    return { attachment: toView(doc) };
  }

  /** The file itself (GET /attachments/:id). */
  async function file(id: string): Promise<{ type: string; name: string; data: Buffer }> {
    const row = await Files.findById(id, { type: 1, name: 1, data: 1 }).lean();
    if (!row) throw notFound('Attachment');
    const data = row.data as unknown as Buffer | { buffer: Uint8Array };
    return { type: row.type, name: row.name, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer) };
  }

  /**
   * Delete a stored upload (matching `also`) and free its bytes of its uploader's quota; their
   * avatar, if it was this image, goes with it. False when it was already gone (or no longer matched).
   */
  async function discard(id: string, row: { ownerId: unknown; size: number }, also: Record<string, unknown> = {}): Promise<boolean> {
    const gone = await Files.deleteOne({ _id: id, ...also });
    if (gone.deletedCount === 0) return false;
    await release(row.ownerId, row.size);
    await User.updateOne({ _id: row.ownerId, avatarUrl: attachmentUrl(id) }, { $unset: { avatarUrl: 1 } });
    return true;
  }

  /**
   * phpBB's orphan attachments: uploads older than ATTACHMENT_ORPHAN_DAYS that nothing shows
   * (see attachmentInUse) are deleted and their bytes freed; those in use are marked so and never
   * looked at again. At most `limit` a run, oldest first. Answers how many were deleted.
   */
  async function sweepOrphans(limit = ORPHAN_SWEEP_BATCH): Promise<number> {
    if (config.attachmentOrphanDays === 0) return 0;
    const cutoff = new Date(Date.now() - config.attachmentOrphanDays * 86_400_000);
    // `used: false` only (an equality FerretDB hands to SQLite): uploads stored before the sweep
    // existed have no flag and are left alone.
    const candidates = await Files.find({ used: false, createdAt: op({ $lt: cutoff }) }, { ownerId: 1, size: 1 })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean();
    let deleted = 0;
    for (const row of candidates) {
      if (await attachmentInUse(models, row._id)) await Files.updateOne({ _id: row._id }, { $set: { used: true } });
      // Only if no one marked it meanwhile.
      else if (await discard(row._id, row, { used: false })) deleted++;
    }
    return deleted;
  }

  /** Delete an upload: its uploader, or a moderator (logged). Frees its bytes of the uploader's quota, and clears it as their avatar. */
  async function remove(user: AuthUser | null, id: string): Promise<{ id: string }> {
    const actor = policy.requireMember(user);
    const row = await Files.findById(id, { ownerId: 1, size: 1, name: 1 }).lean();
    if (!row) throw notFound('Attachment');
    const own = String(row.ownerId) === actor.id;
    if (own) policy.requireScope(actor, 'post');
    else policy.requireModerator(actor);
    if (!(await discard(id, row))) throw notFound('Attachment'); // deleted meanwhile: its bytes were freed then
    if (!own) await modlog.record({ action: 'attachment.delete', actor, target: { type: 'user', id: String(row.ownerId) }, details: { attachmentId: id, name: row.name } });
    return { id };
  }

  /** The member's uploads, newest first, and their quota. */
  async function mine(user: AuthUser | null, page: number): Promise<MyAttachments> {
    const member = policy.requireMember(user);
    const [total, me] = await Promise.all([Files.countDocuments({ ownerId: member.id }), User.findById(member.id, { attachmentBytes: 1 }).lean()]);
    const pageCount = pageCountOf(total, LIMITS.attachmentsPerPage);
    const shown = Math.min(page, pageCount);
    const rows = await Files.find({ ownerId: member.id }, { name: 1, type: 1, size: 1, createdAt: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .skip((shown - 1) * LIMITS.attachmentsPerPage)
      .limit(LIMITS.attachmentsPerPage)
      .lean();
    return {
      attachments: rows.map((r) => toView(r as AttachmentRecordLike)),
      page: shown,
      pageCount,
      total,
      usedBytes: me?.attachmentBytes ?? 0,
      quotaBytes: config.attachmentQuotaBytes,
      maxBytes: config.attachmentMaxBytes,
    };
  }

  return { requireUploader, upload, file, remove, mine, sweepOrphans };
}
export type AttachmentService = ReturnType<typeof createAttachmentService>;
