import type { Conversation, ConversationMessagesPage, ConversationsPage, ForumClient, PrivateMessage } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { LiveCount, type CountChange } from './live-count.js';

/**
 * What changed: a new message (its conversation as the member now sees it), a message edited by
 * its author, a conversation read, or only the unread count (a fetch).
 */
export type MessageChange =
  | { type: 'new'; conversation: Conversation; message: PrivateMessage }
  | { type: 'updated'; conversationId: string; message: PrivateMessage }
  | { type: 'read'; conversationId: string }
  | CountChange;

/**
 * The signed-in member's private conversations with an unread message, counted (GET
 * /conversations, page 1), kept by `message:new` and `conversation:read` on their own sockets
 * (every tab hears every change). For a guest it stays null. Pages listen to it for the
 * messages themselves, edits (`message:updated`, which leaves the count) included.
 */
export class MessageStore extends LiveCount<MessageChange> {
  constructor(
    client: ForumClient,
    private readonly api: Api,
    signedIn: boolean,
  ) {
    super(client, signedIn);
    this.follow({
      'message:new': (e) => ({ count: e.unreadCount, change: { type: 'new', conversation: e.conversation, message: e.message } }),
      'message:updated': (e) => ({ change: { type: 'updated', conversationId: e.conversationId, message: e.message } }),
      'conversation:read': (e) => ({ count: e.unreadCount, change: { type: 'read', conversationId: e.conversationId } }),
    });
  }

  protected fetchCount(): Promise<unknown> {
    return this.inbox(1);
  }

  /** Fetch a page of the inbox; its unread count updates the store (unless a push came meanwhile). */
  inbox(page: number): Promise<ConversationsPage> {
    return this.fromRest(() => this.api.get<ConversationsPage>(`/conversations?page=${page}`), (a) => a.unreadCount);
  }

  /** Fetch a page of one conversation's messages (`last`: its newest page). */
  conversation(conversationId: string, page: number | 'last'): Promise<ConversationMessagesPage> {
    return this.api.get<ConversationMessagesPage>(`/conversations/${encodeURIComponent(conversationId)}?page=${page}`);
  }

  /** Change the body of one's own message; answers it as now stored. Every participant's tabs (this one too) then hear `message:updated`. */
  async edit(conversationId: string, messageId: string, body: string): Promise<PrivateMessage> {
    const path = `/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}`;
    return (await this.api.request<{ message: PrivateMessage }>('PATCH', path, { body })).message;
  }

  /** Delete one's own message; answers it as now stored (a placeholder). Every participant's tabs (this one too) then hear `message:updated`. */
  async remove(conversationId: string, messageId: string): Promise<PrivateMessage> {
    const path = `/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}`;
    return (await this.api.request<{ message: PrivateMessage }>('DELETE', path)).message;
  }

  /** Mark a whole conversation read. Every tab (this one too) then hears `conversation:read`. */
  async markRead(conversationId: string): Promise<void> {
    await this.fromRest(() => this.api.request<{ unreadCount: number }>('POST', `/conversations/${encodeURIComponent(conversationId)}/read`, {}), (a) => a.unreadCount);
    // Also tell this tab's listeners now, should the push be slow or the socket away.
    this.notify({ type: 'read', conversationId });
  }
}
