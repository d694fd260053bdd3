import { postCreatePayload } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { defineCommand } from './handler-kit.js';

export const postCommands = ({ services }: RealtimeContext) => [
  defineCommand('post:create', postCreatePayload, (socket, { topicId, body, subject, clientId }) =>
    services.posts.reply(socket.data.user, topicId, { body, subject, clientId }),
  ),
];
