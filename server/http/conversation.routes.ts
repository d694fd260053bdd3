import { Router } from 'express';
import { conversationPageQuery, createConversationBody, markReadBody, pageQuery, sendMessageBody, editMessageBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { idParam, parse } from './parse.js';

/** Private messages: the signed-in member's conversations (participants only; others get NOT_FOUND). */
export function conversationRoutes(services: Services): Router {
  const r = Router();
  r.get('/conversations', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.conversations.list(req.user, page));
  });
  r.post('/conversations', async (req, res) => {
    const body = parse(createConversationBody, req.body);
    res.status(201).json(await services.conversations.start(req.user, body));
  });
  r.get('/conversations/:conversationId', async (req, res) => {
    const id = idParam(req.params.conversationId);
    const { page } = parse(conversationPageQuery, req.query);
    res.json(await services.conversations.messages(req.user, id, page));
  });
  r.post('/conversations/:conversationId/messages', async (req, res) => {
    const id = idParam(req.params.conversationId);
    const body = parse(sendMessageBody, req.body);
    res.status(201).json(await services.conversations.send(req.user, id, body));
  });
  r.post('/conversations/:conversationId/read', async (req, res) => {
    const id = idParam(req.params.conversationId);
    parse(markReadBody, req.body ?? {});
    res.json(await services.conversations.markRead(req.user, id));
  });
  r.patch('/conversations/:conversationId/messages/:messageId', async (req, res) => {
    const id = idParam(req.params.conversationId);
    const messageId = idParam(req.params.messageId);
    const { body } = parse(editMessageBody, req.body);
    res.json(await services.conversations.edit(req.user, id, messageId, body));
  });
  r.delete('/conversations/:conversationId/messages/:messageId', async (req, res) => {
    res.json(await services.conversations.remove(req.user, idParam(req.params.conversationId), idParam(req.params.messageId)));
  });
  r.post('/conversations/:conversationId/leave', async (req, res) => {
    const id = idParam(req.params.conversationId);
    parse(markReadBody, req.body ?? {});
    res.json(await services.conversations.leave(req.user, id));
  });
  return r;
}
