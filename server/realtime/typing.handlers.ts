import type { SocketData } from '../../shared/events.js';
import { room } from '../../shared/rooms.js';
import { typingPayload } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { defineCommand } from './handler-kit.js';

/** `typing {topicId, typing}`: members subscribed to the topic only; the sender's identity is its token's. */
export const typingCommands = ({ typing }: RealtimeContext) => [
  defineCommand('typing', typingPayload, async (socket, { topicId, typing: on }) => {
    const subscribed = socket.rooms.has(room.topic(topicId));
    typing.set((socket.data as SocketData).user, topicId, on, { socketId: socket.id, subscribed });
    return {} as Record<string, never>;
  }),
];
