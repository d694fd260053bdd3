import type { Socket } from 'socket.io';
import { thanksPayload } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { command } from './handler-kit.js';

export function registerThanksHandlers(socket: Socket, { logger, services }: RealtimeContext) {
  command(socket, logger, 'thanks:add', thanksPayload, async ({ postId }) => {
    const { thanks } = await services.thanks.add(socket.data.user, postId);
    return { thanks };
  });
  command(socket, logger, 'thanks:remove', thanksPayload, async ({ postId }) => {
    const { thanks } = await services.thanks.remove(socket.data.user, postId);
    return { thanks };
  });
}
