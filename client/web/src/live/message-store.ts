import type { Conversation, ConversationMessagesPage, ConversationReadEvent, ConversationsPage, ForumClient, MessageNewEvent, PrivateMessage } from '../../../sdk/index.js';
import type { Api } from '../api.js';

/** What changed: a new message (its conversation as the member now sees it), a conversation read, or only the unread count (a fetch). */
export type MessageChange =
  | { type: 'new'; conversation: Conversation; message: PrivateMessage }
  | { type: 'read'; conversationId: string }
  | { type: 'count' };

/**
 * The signed-in member's private conversations with an unread message, counted: fetched over
 * REST (GET /conversations, page 1), then kept current by `message:new` and `conversation:read`
 * on their own sockets (every tab hears every change). For a guest it stays null and fetches
 * nothing. Pages listen to it for the messages themselves.
 */
export class MessageStore {
  /** Conversations with an unread message; null until known (and always for a guest). */
  unreadCount: number | null = null;
  private readonly listeners = new Set<(change: MessageChange) => void>();
  private readonly stop: Array<() => void> = [];
  /** Bumped by every pushed event: a REST answer sent before one is older than it, and dropped. */
  private version = 0;

  constructor(
    client: ForumClient,
    private readonly api: Api,
    readonly signedIn: boolean,
  ) {
    if (!signedIn) return;
    const onNew = (e: MessageNewEvent) => {
      this.version++;
      this.unreadCount = e.unreadCount;
      this.notify({ type: 'new', conversation: e.conversation, message: e.message });
    };
    const onRead = (e: ConversationReadEvent) => {
      this.version++;
      this.unreadCount = e.unreadCount;
      this.notify({ type: 'read', conversationId: e.conversationId });
    };
    client.socket.on('message:new', onNew);
    client.socket.on('conversation:read', onRead);
    this.stop.push(() => client.socket.off('message:new', onNew), () => client.socket.off('conversation:read', onRead));
    // Pushes made while the socket was away are lost: count again on every (re)connect.
    this.stop.push(client.onState((state) => state === 'connected' && void this.refresh()));
    void this.refresh();
  }

  /** Listen to changes; returns a function that stops listening. */
  subscribe(listener: (change: MessageChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetch a page of the inbox; its unread count updates the store (unless a push came meanwhile). */
  inbox(page: number): Promise<ConversationsPage> {
    return this.fromRest(() => this.api.get<ConversationsPage>(`/conversations?page=${page}`));
  }

  /** Fetch a page of one conversation's messages (`last`: its newest page). */
  conversation(conversationId: string, page: number | 'last'): Promise<ConversationMessagesPage> {
    return this.api.get<ConversationMessagesPage>(`/conversations/${encodeURIComponent(conversationId)}?page=${page}`);
  }

  /** Mark a whole conversation read. Every tab (this one too) then hears `conversation:read`. */
  async markRead(conversationId: string): Promise<void> {
    await this.fromRest(() => this.api.request<{ unreadCount: number }>('POST', `/conversations/${encodeURIComponent(conversationId)}/read`, {}));
    // Also tell this tab's listeners now, should the push be slow or the socket away.
    this.notify({ type: 'read', conversationId });
  }

  async refresh(): Promise<void> {
    if (!this.signedIn) return;
    try {
      await this.inbox(1);
    } catch {
      /* the count stays as it was; the next (re)connect tries again */
    }
  }

  close(): void {
    for (const s of this.stop) s();
    this.listeners.clear();
  }

  /** A REST call answering an unread count: taken unless a push arrived while it was out. */
  private async fromRest<T extends { unreadCount: number }>(call: () => Promise<T>): Promise<T> {
    const before = this.version;
    const answer = await call();
    if (this.version === before && answer.unreadCount !== this.unreadCount) {
      this.unreadCount = answer.unreadCount;
      this.notify({ type: 'count' });
    }
    return answer;
  }

  private notify(change: MessageChange): void {
    for (const l of this.listeners) l(change);
  }
}
