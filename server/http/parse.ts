import type { ZodType } from 'zod';
import { objectId } from '../../shared/schemas.js';
import { fromZod } from '../errors.js';

/** Parse with a shared schema or throw BAD_REQUEST. */
export function parse<T>(schema: ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZod(result.error);
  return result.data;
}

/** A path id: malformed ids are BAD_REQUEST, well-formed unknown ones become NOT_FOUND later. */
export const idParam = (value: unknown) => parse(objectId, value);
