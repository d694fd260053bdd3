import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { seededServer, ack } from './helpers/server.js';

// An idle connection keeps only what it needs: the command router and listeners are shared by
// every socket, and the handshake (request, headers, token) is dropped once it has been read.
describe('idle connection footprint', () => {
  const env = seededServer();

  const serverSockets = () => [...env.s.app.io.of('/').sockets.values()];

  it('drops the upgrade request, headers, query and token once connected, and still knows who it is', async () => {
    const a = await env.s.socket(env.ctx.member.token);
    const b = await env.s.socket(env.ctx.admin.token);
    expect((await ack(a, 'topic:subscribe', { topicId: env.ctx.topic.id })).ok).toBe(true);
    const [sa, sb] = [a.id, b.id].map((id) => serverSockets().find((x) => x.id === id)!);
    for (const x of [sa, sb]) {
      expect(x.conn.request).toBeNull();
      expect(x.handshake.auth).toEqual({});
      expect(x.handshake.headers).toEqual({});
      expect(JSON.stringify(x.handshake)).not.toContain(env.ctx.member.token.slice(-20));
    }
    expect(sa.data.user?.username).toBe(env.ctx.member.username);
    // Commands keep working with the handshake gone: a reply reaches the subscriber.
    const got = new Promise((resolve) => a.once('post:created', resolve));
    expect((await ack(b, 'post:create', { topicId: env.ctx.topic.id, body: 'after the handshake is gone', clientId: 'idle-footprint-1' })).ok).toBe(true);
    expect(await got).toMatchObject({ post: { body: 'after the handshake is gone' } });
  });

  it("removes engine.io's response relay from the TCP socket, and a dropped connection still departs", async () => {
    // The relay this server removes is still the one engine.io adds (if not, update idle-footprint).
    const engineMain = createRequire(import.meta.url).resolve('engine.io'); // .../engine.io/build/engine.io.js
    const engineServer = fs.readFileSync(path.join(path.dirname(engineMain), 'server.js'), 'utf8');
    expect(engineServer).toContain('socket.once("close", () => this.emit("close"))');
    const a = await env.s.socket(env.ctx.member.token);
    const sa = serverSockets().find((x) => x.id === a.id)!;
    const tcp = (sa.conn as any).transport.socket._socket as NodeJS.EventEmitter;
    const sources = tcp.rawListeners('close').map((l: any) => String(l.listener ?? l));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources).not.toContain('() => this.emit("close")');
    const gone = new Promise((resolve) => sa.once('disconnect', resolve));
    tcp.emit('error', new Error('simulated network failure')); // the TCP socket dies under the server
    (tcp as any).destroy();
    expect(await gone).toBeTruthy();
    expect(serverSockets().some((x) => x.id === a.id)).toBe(false);
  });

  it('shares one command router and one set of listeners between sockets', async () => {
    const a = await env.s.socket(env.ctx.member.token);
    const b = await env.s.socket();
    await ack(a, 'topic:subscribe', { topicId: env.ctx.topic.id });
    await ack(b, 'topic:subscribe', { topicId: env.ctx.topic.id });
    const [sa, sb] = [a.id, b.id].map((id) => serverSockets().find((x) => x.id === id)!);
    expect(sa.listenersAny().length).toBeGreaterThan(0);
    expect(sa.listenersAny()).toEqual(sb.listenersAny()); // the same functions, not copies
    expect(sa.listeners('disconnect')).toEqual(sb.listeners('disconnect'));
    expect(sa.eventNames()).not.toContain('post:create'); // routed, not one listener per command
  });

  it('ignores unknown events and ack-less commands, and answers bad payloads with BAD_REQUEST', async () => {
    const a = await env.s.socket(env.ctx.member.token);
    (a as any).emit('no:such:event', { x: 1 });
    (a as any).emit('post:create', { topicId: env.ctx.topic.id, body: 'no ack, never posted', clientId: 'idle-footprint-2' });
    const bad = await ack(a, 'post:create', { topicId: 'nope', body: '' });
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('BAD_REQUEST');
    const page = await env.s.api('GET', `/topics/${env.ctx.topic.id}`);
    expect(JSON.stringify(page.body)).not.toContain('no ack, never posted');
    expect((await ack(a, 'topic:subscribe', { topicId: env.ctx.topic.id })).ok).toBe(true);
  });
});
