import type { AckCallback } from './ack.js';
import type {
  ForumSubscribePayload,
  ForumUnsubscribePayload,
  ConversationReadEvent,
  MessageNewEvent,
  MessageUpdatedEvent,
  NotificationNewEvent,
  ReportEvent,
  QueueEvent,
  QueueHeldEvent,
  QueueDecidedEvent,
  PollUpdatedEvent,
  NotificationsReadEvent,
  OnlineSnapshot,
  Post,
  PostCreatedEvent,
  PostCreatePayload,
  PostDeletedEvent,
  PostUpdatedEvent,
  PresenceDetail,
  PresenceTopic,
  PresenceForum,
  SubscribeAck,
  Thanks,
  ThanksChangedEvent,
  ThanksPayload,
  TopicSubscribePayload,
  TopicUnsubscribePayload,
  TopicUpdatedEvent,
  TypingEvent,
  TypingPayload,
  Role,
} from './schemas.js';

/** Commands: every one is acknowledged with Ack<T>. Payloads are `unknown` on the wire until parsed. */
export interface ClientToServerEvents {
  'topic:subscribe': (payload: TopicSubscribePayload, ack: AckCallback<SubscribeAck>) => void;
  'topic:unsubscribe': (payload: TopicUnsubscribePayload, ack: AckCallback<Record<string, never>>) => void;
  'forum:subscribe': (payload: ForumSubscribePayload, ack: AckCallback<SubscribeAck>) => void;
  'forum:unsubscribe': (payload: ForumUnsubscribePayload, ack: AckCallback<Record<string, never>>) => void;
  'post:create': (payload: PostCreatePayload, ack: AckCallback<{ post: Post; seq: number }>) => void;
  'thanks:add': (payload: ThanksPayload, ack: AckCallback<{ thanks: Thanks }>) => void;
  'thanks:remove': (payload: ThanksPayload, ack: AckCallback<{ thanks: Thanks }>) => void;
  typing: (payload: TypingPayload, ack: AckCallback<Record<string, never>>) => void;
}

/** Pushes: to topic rooms, forum rooms, user rooms and the moderators' room. */
export interface ServerToClientEvents {
  'post:created': (event: PostCreatedEvent) => void;
  'post:updated': (event: PostUpdatedEvent) => void;
  'post:deleted': (event: PostDeletedEvent) => void;
  'thanks:changed': (event: ThanksChangedEvent) => void;
  'topic:updated': (event: TopicUpdatedEvent) => void;
  'presence:topic': (event: PresenceTopic) => void;
  /** To the sockets browsing a forum's page (`forum:subscribe` with `browsing: true`). */
  'presence:forum': (event: PresenceForum) => void;
  'presence:online': (event: OnlineSnapshot) => void;
  'presence:detail': (event: PresenceDetail) => void;
  typing: (event: TypingEvent) => void;
  /** To the member's own room: a reply, mention, quote or thanks for them. */
  'notification:new': (event: NotificationNewEvent) => void;
  /** To the member's own room: notifications were marked read (in any tab). */
  'notifications:read': (event: NotificationsReadEvent) => void;
  /** To every participant's own room: a new private message. */
  'message:new': (event: MessageNewEvent) => void;
  /** To every participant's own room: a message's author edited it. */
  'message:updated': (event: MessageUpdatedEvent) => void;
  /** To the member's own room: they read a conversation (in any tab). */
  'conversation:read': (event: ConversationReadEvent) => void;
  /** To moderators: a post was reported (or reported again by the same member). */
  'report:new': (event: ReportEvent) => void;
  /** To moderators: a report was closed. */
  'report:closed': (event: ReportEvent) => void;
  /** To moderators: a new member's post was held for approval. */
  'queue:added': (event: QueueEvent) => void;
  /** To moderators: a held post was approved or rejected. */
  'queue:removed': (event: QueueEvent) => void;
  /** To the author's own room: one of their posts was held for approval (in any tab). */
  'queue:held': (event: QueueHeldEvent) => void;
  /** To the author's own room: a moderator approved or rejected one of their held posts. */
  'queue:decided': (event: QueueDecidedEvent) => void;
  /** To a topic's room: its poll's totals changed (coalesced per topic), or a poll was added or removed (`poll: null`). */
  'poll:updated': (event: PollUpdatedEvent) => void;
  /**
   * To every socket: the board's global announcements changed (one became or stopped being
   * global, or a global one was renamed, locked, moved, deleted or restored). Carries nothing
   * (no id of a forum the socket may not read); a client showing a forum's listing loads it again.
   */
  'announcements:changed': (event: Record<string, never>) => void;
}

export interface InterServerEvents {
  ping: () => void;
  /** A node changed a topic's facts or a forum's permissions: drop them from the access cache. */
  'access:forget': (kind: 'topic' | 'forum', id: string) => void;
  /** A node took one of your sockets out of a topic's room (access lost, topic deleted): drop it from the viewers. */
  'access:topic-left': (socketId: string, topicId: string) => void;
  /** Likewise out of a forum's room: it no longer browses that forum. */
  'access:forum-left': (socketId: string, forumId: string) => void;
  /** The member on one of your sockets chose to be hidden from who-is-online (true) or shown again. */
  'presence:hidden': (socketId: string, hidden: boolean) => void;
  /** A member's unread reply notifications changed (a mark-read): forget which of their topics already have one. */
  'notifications:forget': (userId: string) => void;
  /** A node changed who watches a topic or forum: drop its cached watchers (`<kind>:<id>`). */
  'watches:changed': (key: string) => void;
}

/** What the server knows about a connection once its handshake is accepted. */
export interface SocketData {
  user: { id: string; username: string; role: Role } | null;
  /** A stable id for this browser or process (for presence of guests and tabs). */
  sessionId: string;
  crawler: string | null;
}

export type TopicEventName = 'post:created' | 'post:updated' | 'post:deleted' | 'thanks:changed' | 'topic:updated';
