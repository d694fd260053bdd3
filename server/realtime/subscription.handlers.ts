import type { Socket } from 'socket.io';
import { room } from '../../shared/rooms.js';
import { topicSubscribePayload, topicUnsubscribePayload, forumSubscribePayload, forumUnsubscribePayload } from '../../shared/schemas.js';
import type { SubscribeAck } from '../../shared/schemas.js';
import { createKeyedSerial } from '../keyed-serial.js';
import type { RealtimeContext } from './context.js';
import { defineCommand } from './handler-kit.js';

/**
 * Subscribing joins the room first and reads the log second: an event stored meanwhile is
 * either in the replay or arrives live (or both; clients drop repeats by seq), never neither.
 *
 * One socket's subscribes and unsubscribes for one room run in the order sent: an unsubscribe
 * sent right behind a subscribe still reading the database would otherwise leave the room
 * before the subscribe joins it, and the socket would stay subscribed against its last word.
 */
export const subscriptionCommands = ({ services, presence }: RealtimeContext) => {
  const serial = createKeyedSerial();
  const ordered = <T>(socket: Socket, roomName: string, job: () => Promise<T>) => serial(`${socket.id} ${roomName}`, job);

  async function stopBrowsing(socket: Socket, forumId: string): Promise<void> {
    if (!socket.rooms.has(room.browsing(forumId))) return;
    await socket.leave(room.browsing(forumId));
    presence.forumLeft(socket, forumId);
  }

  return [
    defineCommand('topic:subscribe', topicSubscribePayload, (socket, { topicId, sinceSeq, page }) =>
      ordered(socket, room.topic(topicId), async (): Promise<SubscribeAck> => {
        const { forumId } = await services.topics.readable(socket.data.user, topicId);
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
        presence.topicJoined(socket, topicId, page, forumId);
        return answer;
      }),
    ),

    defineCommand('topic:unsubscribe', topicUnsubscribePayload, (socket, { topicId }) =>
      ordered(socket, room.topic(topicId), async () => {
        await socket.leave(room.topic(topicId));
        presence.topicLeft(socket, topicId);
        return {} as Record<string, never>;
      }),
    ),

    // `browsing`: the client shows this forum's page, so it counts as browsing the forum and hears
    // who else does (presence:forum). Without it (the board index following every forum), neither.
    defineCommand('forum:subscribe', forumSubscribePayload, (socket, { forumId, sinceSeq, browsing }) =>
      ordered(socket, room.forum(forumId), async (): Promise<SubscribeAck> => {
        await services.forums.readable(socket.data.user, forumId);
        await socket.join(room.forum(forumId));
        let answer: SubscribeAck;
        try {
          answer = sinceSeq === undefined ? { seq: await services.eventLog.settledForumSeq(forumId) } : await services.eventLog.replayForum(forumId, sinceSeq);
        } catch (err) {
          await socket.leave(room.forum(forumId));
          throw err;
        }
        if (browsing) {
          await socket.join(room.browsing(forumId));
          presence.forumBrowsed(socket, forumId);
        } else await stopBrowsing(socket, forumId);
        return answer;
      }),
    ),

    defineCommand('forum:unsubscribe', forumUnsubscribePayload, (socket, { forumId }) =>
      ordered(socket, room.forum(forumId), async () => {
        await socket.leave(room.forum(forumId));
        await stopBrowsing(socket, forumId);
        return {} as Record<string, never>;
      }),
    ),
  ];
};

