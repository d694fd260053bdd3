import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData } from '../../shared/events.js';
import type { TopicEvent, PresenceTopic, OnlineSnapshot, PresenceDetail, TypingEvent } from '../../shared/schemas.js';
import { room } from '../../shared/rooms.js';
import type { EventSink } from '../services/event-log.service.js';
import { createSequencer } from './sequencer.js';

export type ForumServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The one place that emits. Topic events go to the topic room and the forum room, in seq order. */
export function createBroadcaster(io: ForumServer): EventSink & {
  presenceTopic(event: PresenceTopic): void;
  presenceOnline(event: OnlineSnapshot): void;
  presenceDetail(event: PresenceDetail): void;
  typing(event: TypingEvent): void;
  close(): void;
} {
  const sequencer = createSequencer<TopicEvent>((_topicId, _seq, event) => {
    if (!event || event.type === 'noop') return;
    const { topicId, forumId } = event.data;
    const to = io.to([room.topic(topicId), room.forum(forumId)]);
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
    presenceOnline(event) {
      io.local.to(room.everyone()).emit('presence:online', event);
    },
    presenceDetail(event) {
      io.local.to(room.moderators()).emit('presence:detail', event);
    },
    typing(event) {
      io.to(room.topic(event.topicId)).emit('typing', event);
    },
    close: () => sequencer.close(),
  };
}
export type Broadcaster = ReturnType<typeof createBroadcaster>;
