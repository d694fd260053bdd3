import type { ErrorBody } from './errors.js';

/** The answer to every client-to-server command. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export type AckCallback<T> = (ack: Ack<T>) => void;
