import type { ErrorBody, ErrorCode } from '../shared/errors.js';
import { HTTP_STATUS } from '../shared/errors.js';
import type { ZodError } from 'zod';

/** The one error type services throw; transports map it to an ack or a response. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
  get status(): number {
    return HTTP_STATUS[this.code];
  }
  toBody(): ErrorBody {
    return this.retryAfterMs === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterMs: this.retryAfterMs };
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (why: string) => new AppError('FORBIDDEN', why);
/** A change inside a deleted topic (its counts are out of its forum's): restore the topic first. */
export const topicIsDeleted = () => new AppError('CONFLICT', 'This topic is deleted; restore it first');

export function fromZod(error: ZodError): AppError {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'payload';
  return new AppError('BAD_REQUEST', `${where}: ${issue?.message ?? 'invalid'}`);
}

/** Turn anything thrown into an error body; unknown errors become INTERNAL (details stay in the log). */
export function toErrorBody(error: unknown): { body: ErrorBody; status: number; unexpected: boolean } {
  if (error instanceof AppError) return { body: error.toBody(), status: error.status, unexpected: false };
  return { body: { code: 'INTERNAL', message: 'Internal error' }, status: 500, unexpected: true };
}

export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}
