import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/**
 * An `_id` derived from its parts (a hash, cut to 12 bytes): a row found or upserted by `_id`
 * alone, which FerretDB's SQLite backend answers without scanning, and which is unique by itself.
 */
export const derivedId = (...parts: string[]) => new Types.ObjectId(createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 12));
