import type { Request, Response, NextFunction } from 'express';
import type { Logger } from 'pino';
import { AppError, toErrorBody } from '../errors.js';

/** The one mapper from thrown errors to protocol error bodies. */
export function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const mapped = err instanceof AppError ? err : (bodyParserError(err) ?? err);
    const { body, status, unexpected } = toErrorBody(mapped);
    if (unexpected) logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    if (body.retryAfterMs !== undefined) res.setHeader('Retry-After', Math.ceil(body.retryAfterMs / 1000));
    res.status(status).json({ error: body });
  };
}

function bodyParserError(err: unknown): AppError | null {
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'Request body too large');
  if (e?.type === 'entity.parse.failed') return new AppError('BAD_REQUEST', 'Malformed JSON');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return new AppError('BAD_REQUEST', 'Unsupported encoding');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('BAD_REQUEST', 'Bad request');
  return null;
}

export function notFoundHandler(_req: Request, res: Response) {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such route' } });
}
