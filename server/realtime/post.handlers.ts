import { postCreatePayload } from '../../shared/schemas.js';
import type { RealtimeContext } from './context.js';
import { defineCommand } from './handler-kit.js';
import { HeldForApproval } from '../services/approval.service.js';

export const postCommands = ({ services }: RealtimeContext) => [
  defineCommand('post:create', postCreatePayload, async (socket, { topicId, body, subject, clientId }) => {
    try {
      return await services.posts.reply(socket.data.user, topicId, { body, subject, clientId });
    } catch (err) {
      // Held for a moderator: not an error, but no post yet either.
      if (err instanceof HeldForApproval) return { queued: err.queued };
      throw err;
    }
  }),
];
