import type { Response } from 'express';
import { HeldForApproval } from '../services/approval.service.js';

/** A new post's answer: 201 with the post, or 202 `{queued}` when it was held for a moderator's approval. */
export async function answerPost(res: Response, made: Promise<unknown>): Promise<void> {
  try {
    res.status(201).json(await made);
  } catch (err) {
    if (!(err instanceof HeldForApproval)) throw err;
    res.status(202).json({ queued: err.queued });
  }
}
