import { room } from '../../shared/rooms.js';
import { topicSubscribePayload, topicUnsubscribePayload, forumSubscribePayload, forumUnsubscribePayload } from '../../shared/schemas.js';
import type { SubscribeAck } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { defineCommand } from './handler-kit.js';

/**
 * Subscribing joins the room first and reads the log second: an event stored meanwhile is
 * either in the replay or arrives live (or both; clients drop repeats by seq), never neither.
 */
export const subscriptionCommands = ({ services, presence }: RealtimeContext) => [
  defineCommand('topic:subscribe', topicSubscribePayload, async (socket, { topicId, sinceSeq, page }): Promise<SubscribeAck> => {
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
  }),

  defineCommand('topic:unsubscribe', topicUnsubscribePayload, async (socket, { topicId }) => {
    await socket.leave(room.topic(topicId));
    presence.topicLeft(socket, topicId);
    return {} as Record<string, never>;
  }),

  defineCommand('forum:subscribe', forumSubscribePayload, async (socket, { forumId, sinceSeq }): Promise<SubscribeAck> => {
    const forum = await services.forums.readable(socket.data.user, forumId);
    await socket.join(room.forum(forumId));
    try {
      if (sinceSeq === undefined) return { seq: forum.seq };
      return await services.eventLog.replayForum(forumId, sinceSeq);
    } catch (err) {
      await socket.leave(room.forum(forumId));
      throw err;
    }
  }),

  defineCommand('forum:unsubscribe', forumUnsubscribePayload, async (socket, { forumId }) => {
    await socket.leave(room.forum(forumId));
    return {} as Record<string, never>;
  }),
];
