import { Router } from 'express';
import { createForumBody, createTopicBody, forumTopicsQuery, markReadBody, pageQuery, tagName, updateForumBody } from '../../shared/schemas.js';
import type { Services } from '../services/index.js';
import { parse, idParam } from './parse.js';
import { answerPost } from './post-answer.js';
import { servedPlace } from './activity.js';

export function forumRoutes(services: Services): Router {
  const r = Router();
  r.get('/forums', async (req, res) => {
    res.json({ forums: await services.forums.list(req.user) });
  });
  r.get('/unread', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.forums.unreadTopics(req.user, page));
  });
  r.get('/unanswered', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.topicsAcross.unanswered(req.user, page));
  });
  r.get('/active', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.topicsAcross.active(req.user, page));
  });
  r.get('/tags', async (req, res) => {
    res.json(await services.topicsAcross.tags(req.user));
  });
  r.get('/tags/:tag', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    const tag = parse(tagName, req.params.tag);
    res.json(await services.topicsAcross.tagged(req.user, tag, page));
  });
  // Mark all read, and mark one forum read: no input (no body, or {}).
  r.post('/forums/read', async (req, res) => {
    parse(markReadBody, req.body ?? {});
    res.json(await services.unread.markAll(req.user));
  });
  r.post('/forums/:forumId/read', async (req, res) => {
    const forumId = idParam(req.params.forumId);
    parse(markReadBody, req.body ?? {});
    res.json(await services.unread.markForum(req.user, forumId));
  });
  r.post('/forums', async (req, res) => {
    res.status(201).json({ forum: await services.forums.create(req.user, parse(createForumBody, req.body)) });
  });
  r.patch('/forums/:forumId', async (req, res) => {
    const forumId = idParam(req.params.forumId);
    res.json({ forum: await services.forums.update(req.user, forumId, parse(updateForumBody, req.body)) });
  });
  r.get('/forums/:forumId/topics', async (req, res) => {
    const { page, solved, tag } = parse(forumTopicsQuery, req.query);
    const forumId = idParam(req.params.forumId);
    const listing = await services.forums.topics(forumId, page, req.user, { solved, tag });
    servedPlace(res, { forumPage: { forumId } });
    res.json(req.user ? { ...listing, watching: await services.watches.isWatching(req.user.id, 'forum', forumId) } : listing);
  });
  // phpBB's "Subscribe forum": told of each new topic (see notifications).
  r.put('/forums/:forumId/watch', async (req, res) => {
    const forumId = idParam(req.params.forumId);
    parse(markReadBody, req.body ?? {});
    res.json({ forumId, ...(await services.watches.watch(req.user, 'forum', forumId)) });
  });
  r.delete('/forums/:forumId/watch', async (req, res) => {
    const forumId = idParam(req.params.forumId);
    res.json({ forumId, ...(await services.watches.unwatch(req.user, 'forum', forumId)) });
  });
  r.post('/forums/:forumId/topics', async (req, res) => {
    const forumId = idParam(req.params.forumId);
    await answerPost(res, services.posts.createTopic(req.user, forumId, parse(createTopicBody, req.body)));
  });
  return r;
}
