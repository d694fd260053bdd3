import { AppError } from '../errors.js';

/**
 * Thrown inside a guarded change to a post (its update requires `seq < claimed`, as every change
 * to a post does) when a change claimed after it was stored first: nothing was changed, and the
 * claimed seq becomes a noop. Trying again takes a fresh claim, after the one that won.
 */
export class LostRace extends Error {}

/** Run `attempt` (a whole claim-and-change) again while it loses races, `tries` times in all; then CONFLICT with `message`. */
export async function retryLostRaces<T>(attempt: () => Promise<T>, message: string, tries = 3): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof LostRace)) throw err;
      if (tried >= tries) throw new AppError('CONFLICT', message);
    }
  }
}
