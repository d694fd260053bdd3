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
  presenceTopicTo(socketId: string, event: PresenceTopic): void;
  presenceForumTo(socketId: string, event: PresenceForum): void;
  presenceOnlineTo(socketId: string, event: OnlineSnapshot): void;
  presenceDetailTo(socketId: string, event: PresenceDetail): void;
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
    // A newcomer's first views, to that socket alone (it is on this node: it just arrived here).
    // Each checks the room the socket would hear the pushes in: one that unsubscribed meanwhile,
    // or is no moderator, gets nothing.
    presenceTopicTo(socketId, event) {
      const socket = io.sockets.sockets.get(socketId);
      if (socket?.rooms.has(room.topic(event.topicId))) socket.emit('presence:topic', event);
    },
    presenceForumTo(socketId, event) {
      const socket = io.sockets.sockets.get(socketId);
      if (socket?.rooms.has(room.browsing(event.forumId))) socket.emit('presence:forum', event);
    },
    presenceOnlineTo(socketId, event) {
      io.sockets.sockets.get(socketId)?.emit('presence:online', event);
    },
    presenceDetailTo(socketId, event) {
      const socket = io.sockets.sockets.get(socketId);
      if (socket?.rooms.has(room.moderators())) socket.emit('presence:detail', event);
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
