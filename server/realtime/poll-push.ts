import type { Logger } from 'pino';
import type { Poll } from '../../shared/schemas.js';
import { room } from '../../shared/rooms.js';
import { createCoalescer } from '../presence/coalescer.js';
import type { PollSink } from '../services/poll.service.js';
import type { ForumServer } from './broadcaster.js';

/** The most often one topic's room is told of its poll's totals. */
export const POLL_PUSH_INTERVAL_MS = 250;

/**
 * `poll:updated` to a topic's room (through the adapter, so every node's viewers): the first
 * change at once, the changes of the next 250 ms as one push, each reading the poll as it is
 * stored then. A busy poll costs the room four pushes a second, not one per vote; every push
 * carries all the totals and the poll's `rev`, so a late or repeated push cannot set a viewer back.
 */
export function createPollPush(io: ForumServer, read: (topicId: string) => Promise<Poll | null>, logger: Logger): PollSink & { close(): void } {
  const coalescer = createCoalescer<string>({
    intervalMs: POLL_PUSH_INTERVAL_MS,
    run: async (topicId) => {
      io.to(room.topic(topicId)).emit('poll:updated', { topicId, poll: await read(topicId) });
    },
    onError: (err, topicId) => logger.warn({ err, topicId }, 'poll push failed'),
  });
  return { changed: (topicId) => coalescer.mark(topicId), close: () => coalescer.close() };
}
