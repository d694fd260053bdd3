import { room } from '../../shared/rooms.js';
import type { NotificationSink } from '../services/notification.service.js';
import type { ConversationSink } from '../services/conversation.service.js';
import type { ReportSink } from '../services/report.service.js';
import type { QueueSink } from '../services/approval.service.js';
import type { AnnouncementSink } from '../services/topic-changes.js';
import type { ForumServer } from './broadcaster.js';

/**
 * Notifications to a member's own room (every socket they have, on every node through the
 * adapter), except the sockets of API tokens that may not see all of it (room.partialTokens).
 */
export function createNotificationPush(io: ForumServer): NotificationSink {
  return {
    created(userId, event) {
      io.to(room.user(userId)).except(room.partialTokens()).emit('notification:new', event);
    },
    read(userId, event) {
      io.to(room.user(userId)).except(room.partialTokens()).emit('notifications:read', event);
    },
  };
}

/** Private messages to each participant's own room, and a conversation read to the reader's (the same exceptions). */
export function createConversationPush(io: ForumServer): ConversationSink {
  return {
    message(userId, event) {
      io.to(room.user(userId)).except(room.partialTokens()).emit('message:new', event);
    },
    messageUpdated(userId, event) {
      io.to(room.user(userId)).except(room.partialTokens()).emit('message:updated', event);
    },
    read(userId, event) {
      io.to(room.user(userId)).except(room.partialTokens()).emit('conversation:read', event);
    },
  };
}

/** Reports to the moderators' room (moderators' and admins' sockets on every node; API tokens are bots', never in it). */
export function createReportPush(io: ForumServer): ReportSink {
  return {
    opened(event) {
      io.to(room.moderators()).emit('report:new', event);
    },
    closed(event) {
      io.to(room.moderators()).emit('report:closed', event);
    },
  };
}

/** Posts awaiting approval, to the moderators' room (as reports); to its author's own room, their post held and the verdict. */
export function createQueuePush(io: ForumServer): QueueSink {
  return {
    added(event) {
      io.to(room.moderators()).emit('queue:added', event);
    },
    removed(event) {
      io.to(room.moderators()).emit('queue:removed', event);
    },
    held(authorId, event) {
      io.to(room.user(authorId)).except(room.partialTokens()).emit('queue:held', event);
    },
    decided(authorId, event) {
      io.to(room.user(authorId)).except(room.partialTokens()).emit('queue:decided', event);
    },
  };
}

/** The board's global announcements changed: every socket hears it (no ids: see the event). */
export function createAnnouncementPush(io: ForumServer): AnnouncementSink {
  return {
    changed() {
      io.emit('announcements:changed', {});
    },
  };
}
