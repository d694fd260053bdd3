import type { Topic } from '../../shared/schemas.js';
import { createKeyedSerial } from '../keyed-serial.js';
import type { AccessCache } from './access-cache.js';
import type { Claim, EventLog } from './event-log.service.js';
import { toTopicView, type TopicRecordLike } from './views.js';

/** Thrown inside a write whose stored change turned out to be a no-op (its seq becomes a noop event). */
class NoChange extends Error {}

/** Told when the board's global announcements change, so every forum's listing can show it. */
export interface AnnouncementSink {
  changed(): void;
}

/**
 * Changes to a topic's own document (moderation, its poll, its solution), each a logged
 * `topic:updated` carrying the topic as stored. They run one at a time per topic on this node
 * (`serial`, around the caller's reads and the change), so the order they are stored in is the
 * order of their seqs and the last event tells the truth; the services that change topics share
 * this one instance.
 */
export function createTopicChanges({ eventLog, accessCache, announcements }: { eventLog: Pick<EventLog, 'write'>; /** Topic facts are read afresh after any change. */ accessCache?: Pick<AccessCache, 'forget'>; announcements?: AnnouncementSink }) {
  const serial = createKeyedSerial();

  /** Claim a seq, store the change, emit `topic:updated` with the topic as stored; null (no event) when `apply` found nothing to change. Call inside `serial`. */
  async function change(topicId: string, apply: (claimed: Claim) => Promise<TopicRecordLike | null>): Promise<{ topic: Topic; seq: number } | null> {
    try {
      const done = await eventLog.write(topicId, async (claimed) => {
        const stored = await apply(claimed);
        if (!stored) throw new NoChange();
        const topic = toTopicView(stored, claimed.seq);
        return {
          result: { topic },
          event: { type: 'topic:updated', data: { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq, topic } },
        };
      });
      // A global announcement heads every forum's listing: they all hear of its changes.
      if (done.topic.announcement === 'global') announcements?.changed();
      return done;
    } catch (err) {
      if (err instanceof NoChange) return null;
      throw err;
    } finally {
      accessCache?.forget('topic', topicId); // stored or not, the next check reads it afresh
    }
  }

  return {
    serial,
    change,
    /** A topic stopped being a global announcement (its own change no longer says so). */
    globalChanged: () => announcements?.changed(),
  };
}
export type TopicChanges = ReturnType<typeof createTopicChanges>;
