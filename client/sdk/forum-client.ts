import { io, type Socket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TopicEventName } from '../../shared/events.js';
import type { Ack } from '../../shared/ack.js';
import type { ErrorBody } from '../../shared/errors.js';
import type { MessageNewEvent, NotificationNewEvent, PollInput, PollUpdatedEvent, Post, PresenceForum, SubscribeAck, Thanks, Topic, TopicEvent, HeldPost } from '../../shared/schemas.js';
import { OrderedStream, bySeq, byForumSeq } from './ordered-stream.js';
import { createRest, type Rest } from './rest.js';

export type ForumSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'catching-up' | 'disconnected' | 'unauthorized';
export type EventData<K extends TopicEventName> = Extract<TopicEvent, { type: K }>['data'];

/** Handlers for a subscription: one per event type, plus `event` for all and `resync` when history is gone. */
export type EventHandlers = { [K in TopicEventName]?: (data: EventData<K>) => void } & {
  event?: (event: TopicEvent) => void;
  /** The server no longer holds the events since your position: reload over REST; live events resume from `seq`. */
  resync?: (seq: number) => void;
};

export interface SubscribeOptions {
  /** Resume after this position (a topic seq, or a forum cursor); omitted: from now. */
  sinceSeq?: number;
  /** Deliver only these event types. */
  types?: TopicEventName[];
  /** Topics only: the page of the topic you show (moderators' Who is online says where you read). */
  page?: number;
  /** Forums only: you show this forum's page; you count as browsing it, and `onBrowsing` hears who else does. */
  browsing?: boolean;
}

export interface ConnectOptions {
  /** Server URL, or several: when one cannot be reached, the client moves on to the next (REST and socket alike). */
  url: string | string[];
  /** A member's JWT or a bot's API token; none for a guest. */
  token?: string;
  /** Stable id for this tab or process (presence counts a user once across tabs). */
  sessionId?: string;
  /** How long to wait for an ack before retrying a command (ms). */
  ackTimeoutMs?: number;
  /** How many times a command is retried after a missing ack. */
  retries?: number;
  /** Extra socket.io-client options. */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

/** A command the server refused, with the protocol's error code. */
export class ForumError extends Error {
  readonly code: ErrorBody['code'];
  readonly retryAfterMs?: number;
  constructor(error: ErrorBody) {
    super(error.message);
    this.name = 'ForumError';
    this.code = error.code;
    this.retryAfterMs = error.retryAfterMs;
  }
}

/** With several server URLs, move to the next one after this many failed attempts on the current one. */
const FAILOVER_AFTER_FAILURES = 1;

const EVENT_NAMES: TopicEventName[] = ['post:created', 'post:updated', 'post:deleted', 'thanks:changed', 'topic:updated'];

/** One live subscription: its position is what a bot saves to resume exactly where it stopped. */
export class Subscription {
  private stream: OrderedStream | null = null;
  private early: TopicEvent[] = [];
  private repairTimer: ReturnType<typeof setTimeout> | null = null;
  private repairDelay = 150;
  private syncing: Promise<void> | null = null;
  closed = false;

  constructor(
    private readonly client: ForumClient,
    readonly kind: 'topic' | 'forum',
    readonly id: string,
    private readonly handlers: EventHandlers,
    private readonly options: SubscribeOptions,
  ) {}

  /** The last position delivered (topic seq or forum cursor); save it to resume later. */
  get lastSeq(): number | undefined {
    return this.stream?.position ?? this.options.sinceSeq;
  }

  /** Stop receiving events. */
  async unsubscribe(): Promise<void> {
    this.closed = true;
    if (this.repairTimer) clearTimeout(this.repairTimer);
    this.client.forget(this);
    if (this.client.socket.connected) {
      if (this.kind === 'topic') await this.client.socket.timeout(5000).emitWithAck('topic:unsubscribe', { topicId: this.id }).catch(() => undefined);
      else await this.client.socket.timeout(5000).emitWithAck('forum:unsubscribe', { forumId: this.id }).catch(() => undefined);
    }
  }

  /** @internal a live event for this subscription */
  live(event: TopicEvent): void {
    if (this.closed) return;
    if (!this.stream) {
      this.early.push(event);
      return;
    }
    if (this.stream.live(event)) this.scheduleRepair();
  }

  /** @internal (re)subscribe from the current position and replay what was missed, page by page. */
  sync(): Promise<void> {
    this.syncing ??= this.runSync().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async runSync(): Promise<void> {
    for (;;) {
      const since = this.stream ? this.stream.position : this.options.sinceSeq;
      const payload = since === undefined ? {} : { sinceSeq: since };
      const answer: Ack<SubscribeAck> =
        this.kind === 'topic'
          ? await this.client.socket.timeout(this.client.ackTimeoutMs).emitWithAck('topic:subscribe', { topicId: this.id, ...payload, ...(this.options.page && { page: this.options.page }) })
          : await this.client.socket.timeout(this.client.ackTimeoutMs).emitWithAck('forum:subscribe', { forumId: this.id, ...payload, ...(this.options.browsing && { browsing: true }) });
      if (this.closed) return;
      if (!answer.ok) throw new ForumError(answer.error);
      const ack = answer.data;
      let holes: boolean;
      if (!this.stream) {
        this.stream = new OrderedStream(since ?? ack.seq, this.kind === 'topic' ? bySeq : byForumSeq, (e) => this.dispatch(e));
        if (ack.resync) {
          this.stream.reset(ack.seq);
          this.handlers.resync?.(ack.seq);
        }
        holes = this.stream.replay(ack.missed ?? []);
        for (const e of this.early.splice(0)) holes = this.stream.live(e) || holes;
      } else if (ack.resync) {
        this.stream.reset(ack.seq);
        this.handlers.resync?.(ack.seq);
        holes = false;
      } else {
        holes = this.stream.replay(ack.missed ?? []);
      }
      if (ack.more) continue;
      if (holes) this.scheduleRepair();
      else this.repairDelay = 150;
      return;
    }
  }

  /** @internal after a reconnect: resubscribe from the current position, and keep trying if that fails. */
  resume(): Promise<void> {
    return this.sync().catch(() => this.scheduleRepair());
  }

  private scheduleRepair(): void {
    if (this.repairTimer || this.closed) return;
    this.repairTimer = setTimeout(() => {
      this.repairTimer = null;
      if (!this.client.socket.connected) return; // a reconnect resyncs everything
      this.repairDelay = Math.min(this.repairDelay * 2, 2000);
      this.sync().catch(() => this.scheduleRepair());
    }, this.repairDelay);
  }

  private dispatch(event: TopicEvent): void {
    if (event.type === 'noop') return;
    if (this.options.types && !this.options.types.includes(event.type)) return;
    this.handlers.event?.(event);
    const handler = this.handlers[event.type] as ((data: unknown) => void) | undefined;
    handler?.(event.data);
  }
}

/** A connection to the forum: typed subscriptions with catch-up, and commands retried safely. */
export class ForumClient {
  readonly socket: ForumSocket;
  readonly rest: Rest;
  readonly ackTimeoutMs: number;
  private readonly retries: number;
  private readonly subs = new Map<string, Subscription>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private everConnected = false;
  private closedByUser = false;
  private _state: ConnectionState = 'connecting';

  constructor(private readonly options: ConnectOptions) {
    const urls = Array.isArray(options.url) ? options.url : [options.url];
    if (urls.length === 0) throw new Error('connect: `url` needs at least one server URL');
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.retries = options.retries ?? 5;
    this.rest = createRest(urls, options.token);
    this.socket = io(urls[0], {
      auth: { ...(options.token ? { token: options.token } : {}), ...(options.sessionId ? { sessionId: options.sessionId } : {}) },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 2000,
      // A transport lost while a reconnect is opening is only noticed at this timeout.
      timeout: 5000,
      // Switching servers changes the connection's address: it must not be shared with another client.
      ...(urls.length > 1 ? { forceNew: true } : {}),
      ...options.socket,
    });
    if (urls.length > 1) this.failOverBetween(urls);
    for (const name of EVENT_NAMES) {
      this.socket.on(name as 'post:created', (data) => this.route({ type: name, data } as TopicEvent));
    }
    this.socket.on('connect', () => void this.onConnect());
    this.socket.on('disconnect', (reason) => {
      if (this.closedByUser) return;
      this.setState('reconnecting');
      // socket.io-client does not reconnect by itself after the server closed the socket
      // (a restart or deploy does that): come back after a short, jittered pause.
      if (reason === 'io server disconnect') setTimeout(() => !this.closedByUser && this.socket.connect(), 200 + Math.random() * 800);
    });
    this.socket.on('connect_error', (err) => {
      if (err.message === 'UNAUTHORIZED') this.setState('unauthorized');
      else if (this.everConnected) this.setState('reconnecting');
    });
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** The server URL the connection uses (or is trying) now. */
  get url(): string {
    return (this.socket.io as unknown as { uri: string }).uri;
  }

  /**
   * Several servers: once an attempt to reach the current one has failed, the next reconnect
   * attempt goes to the next URL, round the list. Each (re)connection resubscribes from the
   * last delivered position, so nothing is missed across the switch.
   */
  private failOverBetween(urls: string[]): void {
    const manager = this.socket.io;
    let current = 0;
    let failed = 0;
    // The manager reports every failed attempt to open a connection as `error`.
    manager.on('error', () => void (failed += 1));
    manager.on('reconnect_attempt', () => {
      if (failed < FAILOVER_AFTER_FAILURES) return;
      failed = 0;
      current = (current + 1) % urls.length;
      // The manager opens each attempt at `uri` (engine.io parses host, port and scheme from it).
      (manager as unknown as { uri: string }).uri = urls[current];
    });
    this.socket.on('connect', () => void (failed = 0));
  }

  /** Listen to connection state changes; returns a function that stops listening. */
  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Resolves once connected (or rejects with the handshake error). */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.socket.off('connect_error', bad);
        resolve();
      };
      const bad = (err: Error) => {
        if (err.message !== 'UNAUTHORIZED') return;
        this.socket.off('connect', ok);
        reject(new ForumError({ code: 'UNAUTHORIZED', message: 'Token refused' }));
      };
      this.socket.once('connect', ok);
      this.socket.on('connect_error', bad);
    });
  }

  /**
   * Follow a topic live. Example:
   * `await client.subscribeTopic(id, { 'post:created': (e) => console.log(e.post.subject) }, { sinceSeq: saved })`
   */
  async subscribeTopic(topicId: string, handlers: EventHandlers, options: SubscribeOptions = {}): Promise<Subscription> {
    return this.subscribe(new Subscription(this, 'topic', topicId, handlers, options));
  }

  /** Follow every topic of a forum live; `sinceSeq` is the forum cursor (`lastSeq` of an earlier forum subscription). */
  async subscribeForum(forumId: string, handlers: EventHandlers, options: SubscribeOptions = {}): Promise<Subscription> {
    return this.subscribe(new Subscription(this, 'forum', forumId, handlers, options));
  }

  /**
   * Reply to a topic. Retried with the same clientId until acknowledged, so it is stored once.
   * A new member's reply may be held for a moderator's approval (APPROVE_POSTS_UNDER): then the
   * answer is `{queued}` instead of the post (bot tokens are never held). Example:
   * `const answer = await client.reply(topicId, 'Hello!'); if ('post' in answer) console.log(answer.post.number)`
   */
  reply(topicId: string, body: string, opts: { subject?: string; clientId?: string } = {}): Promise<{ post: Post; seq: number } | HeldPost> {
    const clientId = opts.clientId ?? newClientId();
    return this.command('post:create', { topicId, body, clientId, ...(opts.subject ? { subject: opts.subject } : {}) });
  }

  /**
   * Start a topic in a forum (over REST), with a poll if you like. Example:
   * `await client.post(forumId, { title: 'Lunch?', body: 'Vote!', poll: { question: 'Where?', options: ['Pizza', 'Sushi'] } })`
   */
  post(forumId: string, input: { title: string; body: string; clientId?: string; poll?: Partial<PollInput> & Pick<PollInput, 'question' | 'options'>; tags?: string[] }): Promise<{ topic: Topic; post: Post } | HeldPost> {
    return this.rest.request('POST', `/forums/${forumId}/topics`, { ...input, clientId: input.clientId ?? newClientId() });
  }

  /** Thank a post (repeating it changes nothing). */
  thank(postId: string): Promise<{ thanks: Thanks }> {
    return this.command('thanks:add', { postId });
  }

  /** Take a thanks back. */
  unthank(postId: string): Promise<{ thanks: Thanks }> {
    return this.command('thanks:remove', { postId });
  }

  /** Say that you are (or stopped) writing a reply. */
  typing(topicId: string, typing: boolean): Promise<Record<string, never>> {
    return this.command('typing', { topicId, typing }, 0);
  }

  /**
   * Hear of your notifications as they are made (a reply to your topic, a mention, a quote, a
   * thanks); returns a function that stops listening. Tokens limited to some forums, or without
   * the `read` scope, are not sent these (read `rest.notifications()` instead). Example:
   * `client.onNotification(({ notification: n }) => n.kind === 'mention' && client.reply(n.topicId, 'You called?'))`
   */
  onNotification(handler: (event: NotificationNewEvent) => void): () => void {
    this.socket.on('notification:new', handler);
    return () => void this.socket.off('notification:new', handler);
  }

  /**
   * Hear of private messages to you as they are written (your own from other connections too);
   * returns a function that stops listening. The same tokens as for notifications are left out.
   * Example: `client.onMessage(({ conversation, message }) => message.author.id !== me && client.rest.sendMessage(conversation.id, 'Got it'))`
   */
  onMessage(handler: (event: MessageNewEvent) => void): () => void {
    this.socket.on('message:new', handler);
    return () => void this.socket.off('message:new', handler);
  }

  /**
   * Hear of polls in the topics you are subscribed to: new totals (at most every 250 ms per
   * topic; each push carries all of them and the poll's `rev`, so keep the highest), a poll
   * added, or removed (`poll: null`); returns a function that stops listening. Example:
   * `client.onPoll(({ topicId, poll }) => poll && console.log(topicId, poll.options.map((o) => o.votes)))`
   */
  onPoll(handler: (event: PollUpdatedEvent) => void): () => void {
    this.socket.on('poll:updated', handler);
    return () => void this.socket.off('poll:updated', handler);
  }

  /**
   * Hear who is browsing the forums you subscribed to with `browsing: true` (phpBB's "Users
   * browsing this forum": their latest page is the forum's or one of its topics'), at once and
   * then as it changes (at most once a second); returns a function that stops listening.
   */
  onBrowsing(handler: (event: PresenceForum) => void): () => void {
    this.socket.on('presence:forum', handler);
    return () => void this.socket.off('presence:forum', handler);
  }

  /**
   * Hear that the board's global announcements changed (one became or stopped being global, or a
   * global one changed): a forum listing you show heads with them, so load it again. Returns a
   * function that stops listening.
   */
  onAnnouncements(handler: () => void): () => void {
    this.socket.on('announcements:changed', handler);
    return () => void this.socket.off('announcements:changed', handler);
  }

  /** Close the connection for good. */
  close(): void {
    this.closedByUser = true;
    for (const sub of this.subs.values()) sub.closed = true;
    this.subs.clear();
    this.socket.disconnect();
    this.setState('disconnected');
  }

  /** @internal */
  forget(sub: Subscription): void {
    this.subs.delete(`${sub.kind}:${sub.id}`);
  }

  private async subscribe(sub: Subscription): Promise<Subscription> {
    const key = `${sub.kind}:${sub.id}`;
    if (this.subs.has(key)) throw new Error(`already subscribed to ${key}`);
    this.subs.set(key, sub);
    try {
      await sub.sync();
    } catch (err) {
      this.subs.delete(key);
      throw err;
    }
    return sub;
  }

  private route(event: TopicEvent): void {
    this.subs.get(`topic:${event.data.topicId}`)?.live(event);
    this.subs.get(`forum:${event.data.forumId}`)?.live(event);
  }

  private async onConnect(): Promise<void> {
    if (!this.everConnected) {
      this.everConnected = true;
      this.setState('connected');
      return;
    }
    this.setState('catching-up');
    await Promise.all([...this.subs.values()].map((s) => s.resume()));
    if (this.socket.connected) this.setState('connected');
  }

  private setState(state: ConnectionState): void {
    if (state === this._state) return;
    this._state = state;
    for (const l of this.stateListeners) l(state);
  }

  private async command<T>(event: keyof ClientToServerEvents, payload: unknown, retries = this.retries): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        const emit = this.socket.timeout(this.ackTimeoutMs).emitWithAck as unknown as (e: string, p: unknown) => Promise<Ack<T>>;
        const answer = await emit.call(this.socket.timeout(this.ackTimeoutMs), event, payload);
        if (answer.ok) return answer.data;
        throw new ForumError(answer.error);
      } catch (err) {
        if (err instanceof ForumError) throw err;
        lastError = err; // no ack in time: the same payload (same clientId) is safe to send again
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }
}

/** Connect to a forum server. Example: `const client = connect({ url: 'http://localhost:3000', token })` */
export function connect(options: ConnectOptions): ForumClient {
  return new ForumClient(options);
}

/** Whether a new post's answer is `{queued}`: held for a moderator's approval, not posted yet. */
export function isHeld<T extends object>(answer: T | HeldPost): answer is HeldPost {
  return 'queued' in answer;
}

export function newClientId(): string {
  const c = globalThis.crypto;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
