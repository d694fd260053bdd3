import { thanksPayload } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { defineCommand } from './handler-kit.js';

export const thanksCommands = ({ services }: RealtimeContext) => [
  defineCommand('thanks:add', thanksPayload, async (socket, { postId }) => {
    const { thanks } = await services.thanks.add(socket.data.user, postId);
    return { thanks };
  }),
  defineCommand('thanks:remove', thanksPayload, async (socket, { postId }) => {
    const { thanks } = await services.thanks.remove(socket.data.user, postId);
    return { thanks };
  }),
];
