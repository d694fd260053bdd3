import { createKeyedSerial } from '../keyed-serial.js';

/**
 * Run jobs one after another per key (a socket id): a join must not overtake the connect it
 * follows when the store or a lookup answers asynchronously. A failed job is reported and
 * does not block the ones behind it.
 */
export function createKeyedQueue(onError: (err: unknown, key: string) => void) {
  const serial = createKeyedSerial();
  return (key: string, job: () => Promise<void> | void): Promise<void> => serial(key, job).catch((err) => onError(err, key));
}
