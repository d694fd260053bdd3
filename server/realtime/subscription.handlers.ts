import type { Socket } from 'socket.io';
import { room } from '../../shared/rooms.js';
import { topicSubscribePayload, topicUnsubscribePayload, forumSubscribePayload, forumUnsubscribePayload } from '../../shared/schemas.js';
import type { SubscribeAck } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { command } from './handler-kit.js';

/**
 * Subscribing joins the room first and reads the log second: an event stored meanwhile is
 * either in the replay or arrives live (or both; clients drop repeats by seq), never neither.
 */
export function registerSubscriptionHandlers(socket: Socket, { logger, services, presence }: RealtimeContext) {
  command(socket, logger, 'topic:subscribe', topicSubscribePayload, async ({ topicId, sinceSeq, page }): Promise<SubscribeAck> => {
    await services.topics.readable(socket.data.user, topicId);
    presence.admitTopic(socket, topicId);
    await socket.join(room.topic(topicId));
    let answer: SubscribeAck;
    try {
      answer = sinceSeq === undefined ? { seq: await services.eventLog.settledSeq(topicId) } : await services.eventLog.replayTopic(topicId, sinceSeq);
    } catch (err) {
      await socket.leave(room.topic(topicId));
      presence.topicLeft(socket, topicId);
      throw err;
    }
    // Only a subscription that took counts as viewing.
    presence.topicJoined(socket, topicId, page);
    return answer;
  });

  command(socket, logger, 'topic:unsubscribe', topicUnsubscribePayload, async ({ topicId }) => {
    await socket.leave(room.topic(topicId));
    presence.topicLeft(socket, topicId);
    return {} as Record<string, never>;
  });

  command(socket, logger, 'forum:subscribe', forumSubscribePayload, async ({ forumId, sinceSeq }): Promise<SubscribeAck> => {
    const forum = await services.forums.readable(socket.data.user, forumId);
    await socket.join(room.forum(forumId));
    try {
      if (sinceSeq === undefined) return { seq: forum.seq };
      return await services.eventLog.replayForum(forumId, sinceSeq);
    } catch (err) {
      await socket.leave(room.forum(forumId));
      throw err;
    }
  });

  command(socket, logger, 'forum:unsubscribe', forumUnsubscribePayload, async ({ forumId }) => {
    await socket.leave(room.forum(forumId));
    return {} as Record<string, never>;
  });
}
