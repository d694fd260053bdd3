import type { Logger } from 'pino';
import type { RemoteSocket, Socket } from 'socket.io';
import type { ServerToClientEvents, SocketData } from '../../shared/events.js';
import { room } from '../../shared/rooms.js';
import { objectId } from '../../shared/schemas.js';
import type { ForumServer } from './broadcaster.js';
import type { PresenceHooks } from './context.js';
import { permits, type AccessChanges, type AccessService } from '../services/access.service.js';
import type { AuthUser } from '../services/token.service.js';
import { policy } from '../services/policy.js';

type LiveSocket = RemoteSocket<ServerToClientEvents, SocketData>;


/** The id in a room name made by `room.topic` / `room.forum` (the builders stay the one source of the format). */
function idIn(kind: 'topic' | 'forum', name: string): string | null {
  const prefix = room[kind]('');
  if (!name.startsWith(prefix)) return null;
  const id = name.slice(prefix.length);
  return objectId.safeParse(id).success ? id : null;
}

/**
 * Room membership follows access as it changes. Joining a room checks read access once;
 * NodeBB stops there. Here, after a change that can take access away (a forum's permissions,
 * a user's groups, a topic moving forum), the sockets in the rooms concerned are checked
 * again against the database, and each leaves the forum and topic rooms it may no longer
 * read: it silently stops receiving their events (it is sent nothing; its next subscribe
 * is refused). A ban disconnects every socket of the user at once.
 */
export function createAccessEnforcer({ io, access, presence, logger, written = () => Promise.resolve() }: { io: ForumServer; access: AccessService; presence: PresenceHooks; logger: Logger; /** Resolves once the events published so far have left (see Broadcaster.written). */ written?: () => Promise<void> }): AccessChanges {
  /** Banned users whose handshake may have passed just before the ban: refused on connect. */
  const banned = new Map<string, number>();

  io.on('connection', (socket) => {
    const user = socket.data.user as AuthUser | null;
    const until = user ? banned.get(user.id) : undefined;
    if (until === undefined || !user) return;
    if (until > Date.now()) socket.disconnect(true);
    else banned.delete(user.id);
  });

  /**
   * Take a socket out of a topic's room and its viewers. The room is left through the adapter
   * (any node); the viewers are kept by the node that holds the socket, so a socket on another
   * node is named to that node (`serverSideEmit`, cluster only: a socket that is not here is
   * elsewhere) and it drops the viewer there.
   */
  function leaveTopic(s: LiveSocket, topicId: string): void {
    s.leave(room.topic(topicId));
    onItsNode(s.id, (local) => presence.topicLeft(local, topicId), () => io.serverSideEmit('access:topic-left', s.id, topicId));
  }
  io.on('access:topic-left', (socketId, topicId) => onItsNode(socketId, (local) => presence.topicLeft(local, topicId)));

  /** Take a socket out of a forum's room, and of those browsing it (its page shows who does). */
  function leaveForum(s: LiveSocket, forumId: string): void {
    s.leave(room.forum(forumId));
    s.leave(room.browsing(forumId));
    onItsNode(s.id, (local) => presence.forumLeft(local, forumId), () => io.serverSideEmit('access:forum-left', s.id, forumId));
  }
  io.on('access:forum-left', (socketId, forumId) => onItsNode(socketId, (local) => presence.forumLeft(local, forumId)));

  /** A member's hidden flag, on each of their sockets' presence records (kept by the node that holds the socket). */
  function showHidden(s: LiveSocket, hidden: boolean): void {
    onItsNode(s.id, (local) => presence.hiddenChanged(local, hidden), () => io.serverSideEmit('presence:hidden', s.id, hidden));
  }
  io.on('presence:hidden', (socketId, hidden) => onItsNode(socketId, (local) => presence.hiddenChanged(local, hidden)));

  /** `here` with the socket when this node holds it; else `tell` the other nodes (cluster only: a socket not here is elsewhere). */
  function onItsNode(socketId: string, here: (local: Socket) => void, tell?: () => void): void {
    const local = io.sockets.sockets.get(socketId);
    if (local) return here(local);
    try {
      tell?.();
    } catch (err) {
      logger.warn({ err, socket: socketId }, 'could not reach the socket\'s node');
    }
  }

  /** Check each socket's forum and topic rooms; leave the ones it may no longer read. */
  async function recheck(sockets: LiveSocket[]): Promise<void> {
    if (!sockets.length) return;
    const topicIds = new Set<string>();
    const forumIds = new Set<string>();
    const userIds = new Set<string>();
    for (const s of sockets) {
      for (const name of s.rooms) {
        const t = idIn('topic', name);
        if (t) topicIds.add(t);
        const f = idIn('forum', name);
        if (f) forumIds.add(f);
      }
      if (s.data.user) userIds.add(s.data.user.id);
    }
    const forumOfTopic = await access.forumsOfTopics([...topicIds]);
    for (const f of forumOfTopic.values()) forumIds.add(f);
    const [forums, groups] = await Promise.all([access.forumsByIds([...forumIds]), access.groupsOfUsers([...userIds])]);

    let removed = 0;
    for (const s of sockets) {
      const user = s.data.user as AuthUser | null;
      const mine = user ? (groups.get(user.id) ?? []) : [];
      // Unknown forums and topics are left alone: only a positive "may not read" removes.
      const mayRead = (forumId: string | undefined) => {
        const forum = forumId === undefined ? undefined : forums.get(forumId);
        return !forum || permits(user, mine, forum, 'read');
      };
      for (const name of [...s.rooms]) {
        const forumId = idIn('forum', name);
        if (forumId && !mayRead(forumId)) {
          leaveForum(s, forumId);
          removed++;
        }
        const topicId = idIn('topic', name);
        if (topicId && !mayRead(forumOfTopic.get(topicId))) {
          leaveTopic(s, topicId);
          removed++;
        }
      }
    }
    if (removed) logger.info({ sockets: sockets.length, removed }, 'access re-checked: rooms left');
  }

  /**
   * Enforcement must never fail the request that changed access; a failure is logged loudly.
   * It starts once the change's own event (a deletion's or a move's `topic:updated`) has left
   * for the sockets: one taken out of the room first would never hear it.
   */
  async function guarded(what: string, fields: Record<string, string>, run: () => Promise<void>): Promise<void> {
    try {
      await written();
      await run();
    } catch (err) {
      logger.error({ err, ...fields }, `access enforcement failed: ${what}`);
    }
  }

  return {
    forumChanged: (forumId) =>
      guarded('forum changed', { forumId }, async () => {
        const rooms = [room.forum(forumId), ...(await access.topicIdsIn(forumId)).map(room.topic)];
        await recheck(await io.in(rooms).fetchSockets());
      }),
    userChanged: (userId) => guarded('user changed', { userId }, async () => recheck(await io.in(room.user(userId)).fetchSockets())),
    topicMoved: (topicId) => guarded('topic moved', { topicId }, async () => recheck(await io.in(room.topic(topicId)).fetchSockets())),
    topicDeleted: (topicId) =>
      guarded('topic deleted', { topicId }, async () => {
        for (const s of await io.in(room.topic(topicId)).fetchSockets()) {
          if (!policy.isModerator(s.data.user as AuthUser | null)) leaveTopic(s, topicId);
        }
      }),
    async userBanned(userId, until) {
      for (const [id, end] of banned) if (end <= Date.now()) banned.delete(id);
      banned.set(userId, until.getTime());
      io.in(room.user(userId)).disconnectSockets(true);
      logger.info({ userId, until }, 'user banned: their connections were dropped');
    },
    userUnbanned(userId) {
      banned.delete(userId);
    },
    userHiddenChanged: (userId, hidden) =>
      guarded('hidden changed', { userId }, async () => {
        for (const s of await io.in(room.user(userId)).fetchSockets()) showHidden(s, hidden);
      }),
  };
}
