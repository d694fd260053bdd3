import type { Topic } from '../../shared/schemas.js';
import type { Models } from '../models/index.js';
import { op } from '../db/connect.js';
import { createKeyedSerial } from '../keyed-serial.js';
import { LostRace, retryLostRaces } from './lost-races.js';
import type { AccessCache } from './access-cache.js';
import type { Claim, EventLog } from './event-log.service.js';
import { toTopicView, type TopicRecordLike } from './views.js';

/** Claims a change may take while changes from other nodes keep landing first. */
const CHANGE_TRIES = 5;

/** Thrown inside a write whose stored change turned out to be a no-op (its seq becomes a noop event). */
class NoChange extends Error {}

/**
 * What a change's conditional update adds to its filter and its update: the topic's last stored
 * change must have an older seq than this one's, and this one's seq becomes the last.
 */
export interface TopicGuard {
  filter<F extends object>(filter: F): F;
  update<U extends Record<string, unknown>>(update: U): U;
}

/** Told when the board's global announcements change, so every forum's listing can show it. */
export interface AnnouncementSink {
  changed(): void;
}

/**
 * Changes to a topic's own document (moderation, its poll, its solution), each a logged
 * `topic:updated` carrying the topic as stored. They run one at a time per topic on this node
 * (`serial`, around the caller's reads and the change), so the order they are stored in is the
 * order of their seqs and the last event tells the truth; the services that change topics share
 * this one instance. Across nodes the guard keeps that true: each change's update is conditional
 * on the topic's last stored change (`changedSeq`) being older than its own seq, and one that
 * loses to a later-claimed change stored first claims again.
 */
export function createTopicChanges({ models, eventLog, accessCache, announcements }: { models: Pick<Models, 'Topic'>; eventLog: Pick<EventLog, 'write'>; /** Topic facts are read afresh after any change. */ accessCache?: Pick<AccessCache, 'forget'>; announcements?: AnnouncementSink }) {
  const { Topic } = models;
  const serial = createKeyedSerial();

  /**
   * Claim a seq, store the change, emit `topic:updated` with the topic as stored; null (no event)
   * when `apply` found nothing to change. `apply` passes its filter and update through `guard`.
   * Call inside `serial`.
   */
  async function change(topicId: string, apply: (claimed: Claim, guard: TopicGuard) => Promise<TopicRecordLike | null>): Promise<{ topic: Topic; seq: number } | null> {
    try {
      const done = await retryLostRaces(() => changeOnce(topicId, apply), 'This topic kept changing; try again', CHANGE_TRIES);
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

  function changeOnce(topicId: string, apply: (claimed: Claim, guard: TopicGuard) => Promise<TopicRecordLike | null>) {
    return eventLog.write(topicId, async (claimed) => {
      const guard: TopicGuard = {
        filter: (filter) => ({ ...filter, changedSeq: op({ $not: { $gte: claimed.seq } }) }),
        update: (update) => ({ ...update, $set: { ...(update.$set as object | undefined), changedSeq: claimed.seq } }),
      };
      const stored = await apply(claimed, guard);
      if (!stored) {
        const now = await Topic.findById(claimed.topicId, { changedSeq: 1 }).lean();
        throw (now?.changedSeq ?? 0) > claimed.seq ? new LostRace() : new NoChange();
      }
      const topic = toTopicView(stored, claimed.seq);
      return {
        result: { topic },
        event: { type: 'topic:updated' as const, data: { topicId: claimed.topicId, forumId: claimed.forumId, seq: claimed.seq, forumSeq: claimed.forumSeq, topic } },
      };
    });
  }

  return {
    serial,
    change,
    /** A topic stopped being a global announcement (its own change no longer says so). */
    globalChanged: () => announcements?.changed(),
  };
}
export type TopicChanges = ReturnType<typeof createTopicChanges>;
