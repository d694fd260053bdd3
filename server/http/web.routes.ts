import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** Where `scripts/build-web.mjs` puts the bundled browser client. */
export const WEB_DIST = fileURLToPath(new URL('../../client/web/dist/', import.meta.url));

/** Client-side routes answered with the page shell: /, /login, /register, /ucp, /mcp, /mcp/reports, /mcp/queue, /mcp/online, /search, /unread, /unanswered, /active, /notifications, /messages, /messages/:conversationId, /members, /bookmarks, /f/:forumId, /t/:topicId, /u/:userId. */
const CLIENT_ROUTES = ['/', '/login', '/register', '/ucp', '/mcp', '/mcp/reports', '/mcp/queue', '/mcp/online', '/search', '/unread', '/unanswered', '/active', '/notifications', '/messages', '/members', '/bookmarks', '/tags', /^\/tags\/[^/]{1,120}\/?$/, /^\/messages\/[a-f0-9]{24}\/?$/i, /^\/[ftu]\/[a-f0-9]{24}\/?$/i];

/**
 * The live thread viewer: its bundle as static files, and the page shell for client routes
 * (the SPA fallback). Nothing here touches /api or /socket.io.
 */
export function webRoutes(distDir = WEB_DIST): Router {
  const r = Router();
  r.use(express.static(distDir, { index: false, fallthrough: true, maxAge: '5m' }));
  r.get(CLIENT_ROUTES, (_req, res) => {
    const shell = path.join(distDir, 'index.html');
    if (!existsSync(shell)) {
      res.status(503).type('text/plain').send('The web client is not built: run `npm run build:web` (it also runs on npm install, start and test).\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(shell);
  });
  return r;
}
