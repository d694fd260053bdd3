import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData } from '../../shared/events.js';
import type { TopicEvent, PresenceTopic, PresenceForum, OnlineSnapshot, PresenceDetail, TypingEvent } from '../../shared/schemas.js';
import { room } from '../../shared/rooms.js';
import type { EventSink, RecentEvents } from '../services/event-log.service.js';
import { createSequencer } from './sequencer.js';
import { createRecentEvents } from './recent-events.js';
import { createBatchedFanout } from './batched-fanout.js';

export type ForumServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The one place that emits. Topic events go to the topic room and the forum room, in seq order. */
export function createBroadcaster(
  io: ForumServer,
  {
    batched,
    batchGapMs = 0,
    recent: kept,
  }: {
    batched: boolean;
    /** With `batched`: the least time between two batches (FANOUT_BATCH_MS). */
    batchGapMs?: number;
    /** Events kept for catch-up from memory (either 0: none). */
    recent?: { perTopic: number; topics: number };
  },
): EventSink & {
  presenceTopic(event: PresenceTopic): void;
  presenceForum(event: PresenceForum): void;
  presenceOnline(event: OnlineSnapshot): void;
  presenceDetail(event: PresenceDetail): void;
  presenceTopicTo(socketIds: string[], event: PresenceTopic): void;
  presenceForumTo(socketIds: string[], event: PresenceForum): void;
  presenceOnlineTo(socketIds: string[], event: OnlineSnapshot): void;
  presenceDetailTo(socketIds: string[], event: PresenceDetail): void;
  typing(event: TypingEvent): void;
  /** This node's recent events for catch-up (`RecentEvents`); undefined when switched off. */
  recent?: RecentEvents;
  /** Resolves once the events published so far have left for this node's sockets (batched fan-out; at once otherwise). */
  written(): Promise<void>;
  close(): void;
} {
  // One node (in-memory rooms): batched writes. Several (Redis): io.to().emit reaches the others too.
  const fanout = batched ? createBatchedFanout(io, { minGapMs: batchGapMs }) : null;
  const memory = kept && kept.perTopic > 0 && kept.topics > 0 ? createRecentEvents(kept) : null;
  const sequencer = createSequencer<TopicEvent>((id, seq, event) => {
    memory?.record(id, seq, event); // in seq order, after commit, noops included
    if (!event || event.type === 'noop') return;
    const { topicId, forumId } = event.data;
    const rooms = [room.topic(topicId), room.forum(forumId)];
    if (fanout) return fanout.emit(rooms, event.type, event.data);
    const to = io.to(rooms);
    switch (event.type) {
      case 'post:created': return void to.emit('post:created', event.data);
      case 'post:updated': return void to.emit('post:updated', event.data);
      case 'post:deleted': return void to.emit('post:deleted', event.data);
      case 'thanks:changed': return void to.emit('thanks:changed', event.data);
      case 'topic:updated': return void to.emit('topic:updated', event.data);
    }
  });

  /** These sockets of this node (those in `inRoom`, if named) as one broadcast's target; null when none is left. */
  function newcomers(socketIds: string[], inRoom?: string) {
    const here = socketIds.filter((id) => {
      const socket = io.sockets.sockets.get(id);
      return socket !== undefined && (inRoom === undefined || socket.rooms.has(inRoom));
    });
    return here.length > 0 ? io.local.to(here) : null; // each socket is in a room named by its id
  }

  return {
    claimed(topicId, seq) {
      sequencer.claim(topicId, seq);
    },
    publish(event) {
      sequencer.push(event.data.topicId, event.data.seq, event);
    },
    // Presence goes to this node's sockets only: with several nodes, each one computes the
    // board-wide views from the shared store and pushes them to its own clients.
    presenceTopic(event) {
      io.local.to(room.topic(event.topicId)).emit('presence:topic', event);
    },
    presenceForum(event) {
      io.local.to(room.browsing(event.forumId)).emit('presence:forum', event);
    },
    presenceOnline(event) {
      io.local.emit('presence:online', event); // every socket on this node
    },
    presenceDetail(event) {
      io.local.to(room.moderators()).emit('presence:detail', event);
    },
    // Newcomers' first views, to those sockets alone (they are on this node: they just arrived
    // here), one broadcast a batch so the view is encoded once. Each checks the room the socket
    // would hear the pushes in: one that unsubscribed meanwhile, or is no moderator, gets nothing.
    presenceTopicTo(socketIds, event) {
      newcomers(socketIds, room.topic(event.topicId))?.emit('presence:topic', event);
    },
    presenceForumTo(socketIds, event) {
      newcomers(socketIds, room.browsing(event.forumId))?.emit('presence:forum', event);
    },
    presenceOnlineTo(socketIds, event) {
      newcomers(socketIds)?.emit('presence:online', event);
    },
    presenceDetailTo(socketIds, event) {
      newcomers(socketIds, room.moderators())?.emit('presence:detail', event);
    },
    typing(event) {
      io.to(room.topic(event.topicId)).emit('typing', event);
    },
    recent: memory
      ? {
          since: memory.since,
          settledThrough: memory.settledThrough,
          noteSettled: memory.noteSettled,
          inFlightHere: sequencer.inFlight,
        }
      : undefined,
    written: () => fanout?.written() ?? Promise.resolve(),
    close() {
      sequencer.close();
      memory?.clear();
      fanout?.close();
    },
  };
}
export type Broadcaster = ReturnType<typeof createBroadcaster>;
