import type { Logger } from 'pino';
import type { EventLog } from './event-log.service.js';
import type { AttachmentService } from './attachment.service.js';

const HOUR = 3_600_000;

/** Background upkeep, hourly: age-based event-log pruning, and uploads nothing shows. Returns a stop function. */
export function startMaintenance({ eventLog, attachments, logger, everyMs = HOUR }: { eventLog: EventLog; attachments: Pick<AttachmentService, 'sweepOrphans'>; logger: Logger; everyMs?: number }): () => void {
  const timer = setInterval(() => {
    eventLog
      .pruneByAge()
      .then((removed) => removed && logger.info({ removed }, 'pruned old events'))
      .catch((err) => logger.warn({ err }, 'event pruning failed'));
    attachments
      .sweepOrphans()
      .then((deleted) => deleted && logger.info({ deleted }, 'deleted orphaned uploads'))
      .catch((err) => logger.warn({ err }, 'orphaned upload sweep failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
