import type { Request, Response, NextFunction } from 'express';
import { AppError } from '../errors.js';

/** Deepest nesting of arrays/objects a request body or socket payload may have. */
export const MAX_JSON_DEPTH = 20;

/** True when `value` nests objects/arrays deeper than `max` levels (iterative: no stack to blow). */
export function exceedsDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Refuse JSON bodies nested deeper than MAX_JSON_DEPTH with BAD_REQUEST. */
export function jsonDepthGuard(max = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.body !== undefined && exceedsDepth(req.body, max)) return next(new AppError('BAD_REQUEST', `JSON nested deeper than ${max} levels`));
    next();
  };
}
