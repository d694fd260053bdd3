import type { Connection } from 'mongoose';
import { createUserModel } from './user.model.js';
import { createForumModel } from './forum.model.js';
import { createTopicModel } from './topic.model.js';
import { createPostModel } from './post.model.js';
import { createEventModel } from './event.model.js';
import { createThanksModel } from './thanks.model.js';
import { createApiTokenModel } from './api-token.model.js';
import { createModlogModel } from './modlog.model.js';
import { createTopicReadModel } from './topic-read.model.js';
import { createForumMarkModel } from './forum-mark.model.js';
import { createBoardRecordModel } from './board-record.model.js';
import { createNotificationModel } from './notification.model.js';
import { createConversationModel } from './conversation.model.js';
import { createPrivateMessageModel } from './private-message.model.js';
import { createConversationReadModel } from './conversation-read.model.js';
import { createReportModel } from './report.model.js';
import { createWatchModel } from './watch.model.js';
import { createPollModel } from './poll.model.js';
import { createPollVoteModel } from './poll-vote.model.js';
import { createPostRevisionModel } from './post-revision.model.js';
import { createAttachmentModel } from './attachment.model.js';
import { createBookmarkModel } from './bookmark.model.js';
import { createQueuedPostModel } from './queued-post.model.js';
import { createWarningModel } from './warning.model.js';

export function createModels(conn: Connection) {
  return {
    User: createUserModel(conn),
    Forum: createForumModel(conn),
    Topic: createTopicModel(conn),
    Post: createPostModel(conn),
    Event: createEventModel(conn),
    Thanks: createThanksModel(conn),
    ApiToken: createApiTokenModel(conn),
    Modlog: createModlogModel(conn),
    TopicRead: createTopicReadModel(conn),
    ForumMark: createForumMarkModel(conn),
    BoardRecord: createBoardRecordModel(conn),
    Notification: createNotificationModel(conn),
    Conversation: createConversationModel(conn),
    PrivateMessage: createPrivateMessageModel(conn),
    ConversationRead: createConversationReadModel(conn),
    Report: createReportModel(conn),
    Watch: createWatchModel(conn),
    Poll: createPollModel(conn),
    PollVote: createPollVoteModel(conn),
    PostRevision: createPostRevisionModel(conn),
    Attachment: createAttachmentModel(conn),
    Bookmark: createBookmarkModel(conn),
    QueuedPost: createQueuedPostModel(conn),
    Warning: createWarningModel(conn),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Build every index before serving (the queries rely on them, and unique ones enforce rules). */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) await model.createIndexes();
}
