import type { Logger } from 'pino';
import type { EventLog } from './event-log.service.js';

const HOUR = 3_600_000;

/** Background upkeep: age-based event-log pruning, hourly. Returns a stop function. */
export function startMaintenance({ eventLog, logger, everyMs = HOUR }: { eventLog: EventLog; logger: Logger; everyMs?: number }): () => void {
  const timer = setInterval(() => {
    eventLog
      .pruneByAge()
      .then((removed) => removed && logger.info({ removed }, 'pruned old events'))
      .catch((err) => logger.warn({ err }, 'event pruning failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
