import type { Socket } from 'socket.io';
import { postCreatePayload } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { command } from './handler-kit.js';

export function registerPostHandlers(socket: Socket, { logger, services }: RealtimeContext) {
  command(socket, logger, 'post:create', postCreatePayload, ({ topicId, body, subject, clientId }) =>
    services.posts.reply(socket.data.user, topicId, { body, subject, clientId }),
  );
}
