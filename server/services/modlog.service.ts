import type { Models } from '../models/index.js';
import type { ModlogAction, ModlogEntry } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';
import { pageCountOf } from './views.js';

export interface ModlogInput {
  action: ModlogAction;
  actor: { id: string; username: string };
  target: ModlogEntry['target'];
  reason?: string;
  details?: Record<string, unknown>;
}

interface ModlogRecordLike {
  _id: unknown;
  action: string;
  actorId: unknown;
  actorName: string;
  targetType: string;
  targetId: unknown;
  reason?: string | null;
  details?: string | null;
  at: Date;
}

function toEntry(r: ModlogRecordLike): ModlogEntry {
  const entry: ModlogEntry = {
    id: String(r._id),
    action: r.action as ModlogAction,
    actor: { id: String(r.actorId), username: r.actorName },
    target: { type: r.targetType as ModlogEntry['target']['type'], id: String(r.targetId) },
    at: r.at.toISOString(),
  };
  if (r.reason) entry.reason = r.reason;
  if (r.details) entry.details = JSON.parse(r.details) as Record<string, unknown>;
  return entry;
}

/** The moderation log: written after each moderation action, read by moderators, newest first. */
export function createModlogService({ models }: { models: Models }) {
  const { Modlog } = models;

  async function record(input: ModlogInput): Promise<void> {
    await Modlog.create({
      action: input.action,
      actorId: input.actor.id,
      actorName: input.actor.username,
      targetType: input.target.type,
      targetId: input.target.id,
      reason: input.reason,
      details: input.details ? JSON.stringify(input.details) : undefined,
      at: new Date(),
    });
  }

  async function page(user: AuthUser | null, requested: number): Promise<{ entries: ModlogEntry[]; page: number; pageCount: number }> {
    policy.requireModerator(user);
    const total = await Modlog.countDocuments({});
    const pageCount = pageCountOf(total, LIMITS.modlogPerPage);
    const current = Math.min(requested, pageCount);
    const rows = await Modlog.find({})
      .sort({ at: -1, _id: -1 })
      .skip((current - 1) * LIMITS.modlogPerPage)
      .limit(LIMITS.modlogPerPage)
      .lean();
    return { entries: rows.map((r) => toEntry(r as ModlogRecordLike)), page: current, pageCount };
  }

  return { record, page };
}
export type ModlogService = ReturnType<typeof createModlogService>;
