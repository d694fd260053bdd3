import { Types } from 'mongoose';
import { op } from '../db/connect.js';
import { derivedId } from '../db/derived-id.js';
import type { Models } from '../models/index.js';
import type { Conversation, ConversationMessagesPage, ConversationReadEvent, ConversationsPage, MessageNewEvent, MessageUpdatedEvent, PrivateMessage } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import { renderBody } from '../render/body-renderer.js';
import { htmlToText, snippetAround } from '../render/snippet.js';
import { AppError, isDuplicateKey, notFound } from '../errors.js';
import type { AuthUser } from './token.service.js';
import { policy } from './policy.js';

/** Pushes to members' own sockets (realtime/member-push.ts implements it). */
export interface ConversationSink {
  message(userId: string, event: MessageNewEvent): void;
  messageUpdated(userId: string, event: MessageUpdatedEvent): void;
  read(userId: string, event: ConversationReadEvent): void;
}

export const noConversationSink: ConversationSink = { message() {}, messageUpdated() {}, read() {} };

const SNIPPET_CHARS = 120;
const readIdFor = (userId: string, conversationId: string) => derivedId('conversation-read', userId, conversationId);

interface StoredConversation {
  _id: unknown;
  title: string;
  participantIds: unknown[];
  participantNames: string[];
  createdAt: Date;
  messageCount: number;
  lastMessage: { id: string; authorId: string; authorName: string; snippet: string; createdAt: Date };
}

interface StoredMessage {
  _id: unknown;
  conversationId: unknown;
  authorId: unknown;
  authorName: string;
  body: string;
  bodyHtml: string;
  number: number;
  createdAt: Date;
  editedAt?: Date | null;
  editCount?: number | null;
  deleted?: boolean | null;
}

/**
 * Private messages: conversations between members, numbered messages, and how far each member
 * has read each conversation. Only participants may see a conversation (anyone else gets
 * NOT_FOUND, as for a conversation that does not exist). Each new message goes live to every
 * participant's own sockets. A `clientId` makes a start or a message idempotent, as for posts.
 */
export function createConversationService({ models, sink = noConversationSink, whoIgnore = async () => new Set<string>() }: {
  models: Models;
  sink?: ConversationSink;
  /** Of these members, those who ignore the writer: no one starts a conversation with a member who ignores them. */
  whoIgnore?: (memberIds: string[], actorId: string) => Promise<Set<string>>;
}) {
  const { Conversation: ConversationModel, PrivateMessage: MessageModel, ConversationRead, User } = models;

  const snippetOf = (bodyHtml: string) => snippetAround(htmlToText(bodyHtml), [], SNIPPET_CHARS);

  function toConversationView(c: StoredConversation, unread: boolean): Conversation {
    return {
      id: String(c._id),
      title: c.title,
      participants: c.participantIds.map((id, i) => ({ id: String(id), username: c.participantNames[i] })),
      createdAt: c.createdAt.toISOString(),
      messageCount: c.messageCount,
      lastMessage: { id: c.lastMessage.id, author: { id: c.lastMessage.authorId, username: c.lastMessage.authorName }, snippet: c.lastMessage.snippet, createdAt: c.lastMessage.createdAt.toISOString() },
      unread,
    };
  }

  function toMessageView(m: StoredMessage): PrivateMessage {
    return {
      id: String(m._id),
      conversationId: String(m.conversationId),
      author: { id: String(m.authorId), username: m.authorName },
      body: m.body,
      bodyHtml: m.bodyHtml,
      createdAt: m.createdAt.toISOString(),
      number: m.number,
      ...(m.editedAt && { editedAt: m.editedAt.toISOString() }),
      ...(m.editCount && { editCount: m.editCount }),
      ...(m.deleted && { deleted: true as const }),
    };
  }

  /** The member's read numbers for these conversations (absent: none read). */
  async function readNumbers(userId: string, conversationIds: string[]): Promise<Map<string, number>> {
    if (!conversationIds.length) return new Map();
    const rows = await ConversationRead.find({ _id: op({ $in: conversationIds.map((c) => readIdFor(userId, c)) }) }, { conversationId: 1, number: 1 }).lean();
    return new Map(rows.map((r) => [String(r.conversationId), r.number]));
  }

  /** Conversations with a message the member has not read. */
  async function unreadCount(userId: string): Promise<number> {
    const all = await ConversationModel.find({ participantIds: userId }, { messageCount: 1 }).lean();
    const read = await readNumbers(userId, all.map((c) => String(c._id)));
    return all.filter((c) => c.messageCount > (read.get(String(c._id)) ?? 0)).length;
  }

  /** Raise the member's read number (never lowers it). */
  async function raiseRead(userId: string, conversationId: string, number: number): Promise<void> {
    const _id = readIdFor(userId, conversationId);
    const write = () => ConversationRead.updateOne({ _id }, { $max: { number }, $setOnInsert: { userId: new Types.ObjectId(userId), conversationId: new Types.ObjectId(conversationId) } }, { upsert: true });
    await write().catch((err) => (isDuplicateKey(err) ? write() : Promise.reject(err)));
  }

  /** The conversation if the member is in it; NOT_FOUND otherwise (its existence is not revealed). */
  async function participantOf(user: AuthUser, conversationId: string): Promise<StoredConversation> {
    const c = (await ConversationModel.findById(conversationId).lean()) as StoredConversation | null;
    if (!c || !c.participantIds.some((id) => String(id) === user.id)) throw notFound('Conversation');
    return c;
  }

  /** The error for an edit or deletion that matched no message of the member's. */
  async function whyNotChanged(author: AuthUser, conversationId: string, messageId: string, what: 'edit' | 'delete'): Promise<AppError> {
    const found = (await MessageModel.findOne({ _id: messageId, conversationId }, { authorId: 1, deleted: 1 }).lean()) as { authorId: unknown; deleted?: boolean } | null;
    if (!found) return notFound('Message');
    if (String(found.authorId) !== author.id) return new AppError('FORBIDDEN', `Only its author may ${what} a message`);
    return new AppError('NOT_FOUND', 'That message was deleted');
  }
  function requireWriter(user: AuthUser | null): AuthUser {
    const member = policy.requireMember(user);
    policy.requireScope(member, 'post');
    return member;
  }
  function requireReader(user: AuthUser | null): AuthUser {
    const member = policy.requireMember(user);
    policy.requireScope(member, 'read');
    return member;
  }

  /** Tell every participant (the author's other tabs too) of a new message. */
  async function announce(c: StoredConversation, message: PrivateMessage): Promise<void> {
    for (const id of c.participantIds.map(String)) {
      const unread = id !== message.author.id;
      sink.message(id, { conversation: toConversationView(c, unread), message, unreadCount: await unreadCount(id) });
    }
  }

  /** Store a message rendered once by its caller (the snippet in the conversation is cut from the same HTML). */
  async function storeMessage(conversationId: Types.ObjectId, author: AuthUser, _id: Types.ObjectId, body: { source: string; html: string }, number: number, at: Date): Promise<StoredMessage> {
    const doc = { _id, conversationId, authorId: new Types.ObjectId(author.id), authorName: author.username, body: body.source, bodyHtml: body.html, number, createdAt: at };
    await MessageModel.collection.insertOne(doc);
    return doc;
  }

  return {
    /** POST /conversations: start one with these members (by name) and its first message. */
    async start(user: AuthUser | null, input: { to: string[]; title: string; body: string; clientId?: string }): Promise<{ conversation: Conversation; message: PrivateMessage }> {
      const author = requireWriter(user);
      const _id = input.clientId ? derivedId('conversation', author.id, input.clientId) : new Types.ObjectId();
      const again = (await ConversationModel.findById(_id).lean()) as StoredConversation | null;
      if (again) {
        const first = (await MessageModel.findOne({ conversationId: _id, number: 1 }).lean()) as StoredMessage | null;
        if (!first || String(first.authorId) !== author.id) throw new AppError('CONFLICT', 'clientId already used');
        return { conversation: toConversationView(again, false), message: toMessageView(first) };
      }
      const names = [...new Set(input.to.map((n) => n.trim().toLowerCase()))].filter((n) => n !== author.username.toLowerCase());
      if (!names.length) throw new AppError('BAD_REQUEST', 'Name at least one member other than yourself');
      const found = await User.find({ usernameLower: op({ $in: names }) }, { username: 1, usernameLower: 1 }).lean();
      const missing = names.filter((n) => !found.some((u) => u.usernameLower === n));
      if (missing.length) throw new AppError('NOT_FOUND', `No member named ${missing.join(', ')}`);
      const recipients = names.map((n) => found.find((u) => u.usernameLower === n)!); // in the order named
      const ignoring = await whoIgnore(recipients.map((u) => String(u._id)), author.id);
      if (ignoring.size) {
        const who = recipients.filter((u) => ignoring.has(String(u._id))).map((u) => u.username);
        throw new AppError('FORBIDDEN', `${who.join(', ')} ${who.length === 1 ? 'does' : 'do'} not take private messages from you`);
      }

      const at = new Date();
      const messageId = input.clientId ? derivedId('message', author.id, input.clientId) : new Types.ObjectId();
      const bodyHtml = renderBody(input.body);
      const conversation: StoredConversation & { _id: Types.ObjectId; lastMessageAt: Date } = {
        _id,
        title: input.title,
        participantIds: [new Types.ObjectId(author.id), ...recipients.map((u) => u._id)],
        participantNames: [author.username, ...recipients.map((u) => u.username)],
        createdAt: at,
        messageCount: 1,
        lastMessageAt: at,
        lastMessage: { id: String(messageId), authorId: author.id, authorName: author.username, snippet: snippetOf(bodyHtml), createdAt: at },
      };
      try {
        await ConversationModel.collection.insertOne(conversation);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('CONFLICT', 'That conversation is being started already; send it again');
        throw err;
      }
      const message = toMessageView(await storeMessage(_id, author, messageId, { source: input.body, html: bodyHtml }, 1, at));
      await raiseRead(author.id, String(_id), 1);
      await announce(conversation, message);
      return { conversation: toConversationView(conversation, false), message };
    },

    /** POST /conversations/:conversationId/messages: the next message, numbered with one atomic `$inc`. */
    async send(user: AuthUser | null, conversationId: string, input: { body: string; clientId?: string }): Promise<{ message: PrivateMessage }> {
      const author = requireWriter(user);
      await participantOf(author, conversationId);
      const messageId = input.clientId ? derivedId('message', author.id, input.clientId) : new Types.ObjectId();
      const again = (await MessageModel.findById(messageId).lean()) as StoredMessage | null;
      if (again) {
        if (String(again.conversationId) !== conversationId) throw new AppError('CONFLICT', 'clientId already used for another conversation');
        return { message: toMessageView(again) };
      }
      const at = new Date();
      const bodyHtml = renderBody(input.body);
      const claimed = (await ConversationModel.findOneAndUpdate(
        { _id: conversationId },
        { $inc: { messageCount: 1 }, $set: { lastMessageAt: at, lastMessage: { id: String(messageId), authorId: author.id, authorName: author.username, snippet: snippetOf(bodyHtml), createdAt: at } } },
        { new: true },
      ).lean()) as StoredConversation | null;
      if (!claimed) throw notFound('Conversation');
      let stored: StoredMessage;
      try {
        stored = await storeMessage(new Types.ObjectId(conversationId), author, messageId, { source: input.body, html: bodyHtml }, claimed.messageCount, at);
      } catch (err) {
        // A retry racing its twin: the twin stored it (this number stays unused; pages do not count numbers).
        if (!isDuplicateKey(err)) throw err;
        const twin = (await MessageModel.findById(messageId).lean()) as StoredMessage | null;
        if (!twin) throw err;
        return { message: toMessageView(twin) };
      }
      const message = toMessageView(stored);
      await raiseRead(author.id, conversationId, message.number);
      await announce(claimed, message);
      return { message };
    },

    /** GET /conversations: the member's conversations, last written in first. */
    async list(user: AuthUser | null, page: number): Promise<ConversationsPage> {
      const member = requireReader(user);
      const total = await ConversationModel.countDocuments({ participantIds: member.id });
      const pageCount = Math.max(1, Math.ceil(total / LIMITS.conversationsPerPage));
      const p = Math.min(page, pageCount);
      const rows = (await ConversationModel.find({ participantIds: member.id })
        .sort({ lastMessageAt: -1, _id: -1 })
        .skip((p - 1) * LIMITS.conversationsPerPage)
        .limit(LIMITS.conversationsPerPage)
        .lean()) as StoredConversation[];
      const read = await readNumbers(member.id, rows.map((c) => String(c._id)));
      return {
        conversations: rows.map((c) => toConversationView(c, c.messageCount > (read.get(String(c._id)) ?? 0))),
        unreadCount: await unreadCount(member.id),
        page: p,
        pageCount,
      };
    },

    /** GET /conversations/:conversationId: one page of its messages, oldest first (`last`: the last page). */
    async messages(user: AuthUser | null, conversationId: string, page: number | 'last'): Promise<ConversationMessagesPage> {
      const member = requireReader(user);
      const c = await participantOf(member, conversationId);
      const total = await MessageModel.countDocuments({ conversationId });
      const pageCount = Math.max(1, Math.ceil(total / LIMITS.messagesPerPage));
      const p = page === 'last' ? pageCount : Math.min(page, pageCount);
      const rows = (await MessageModel.find({ conversationId })
        .sort({ number: 1 })
        .skip((p - 1) * LIMITS.messagesPerPage)
        .limit(LIMITS.messagesPerPage)
        .lean()) as StoredMessage[];
      const read = (await readNumbers(member.id, [conversationId])).get(conversationId) ?? 0;
      return { conversation: toConversationView(c, c.messageCount > read), messages: rows.map(toMessageView), page: p, pageCount };
    },

    /**
     * PATCH /conversations/:conversationId/messages/:messageId: its author, still in the
     * conversation, edits it; every participant's tabs hear `message:updated`. The inbox's
     * snippet follows when it is the conversation's last message.
     */
    async edit(user: AuthUser | null, conversationId: string, messageId: string, body: string): Promise<{ message: PrivateMessage }> {
      const author = requireWriter(user);
      const c = await participantOf(author, conversationId);
      const bodyHtml = renderBody(body);
      const edited = (await MessageModel.findOneAndUpdate(
        { _id: messageId, conversationId, authorId: author.id, deleted: op({ $ne: true }) },
        { $set: { body, bodyHtml, editedAt: new Date() }, $inc: { editCount: 1 } },
        { new: true },
      ).lean()) as StoredMessage | null;
      if (!edited) throw await whyNotChanged(author, conversationId, messageId, 'edit');
      await ConversationModel.updateOne({ _id: conversationId, 'lastMessage.id': messageId }, { $set: { 'lastMessage.snippet': snippetOf(bodyHtml) } });
      const message = toMessageView(edited);
      for (const id of c.participantIds.map(String)) sink.messageUpdated(id, { conversationId, message });
      return { message };
    },

    /**
     * DELETE /conversations/:conversationId/messages/:messageId: its author, still in the
     * conversation, deletes it. Its text is erased on the server (NodeBB's chats keep a "deleted"
     * placeholder in its place: the numbering and the others' replies stay as they were); every
     * participant's tabs hear `message:updated` with `deleted: true`. Deleting it again changes
     * nothing and answers the same.
     */
    async remove(user: AuthUser | null, conversationId: string, messageId: string): Promise<{ message: PrivateMessage }> {
      const author = requireWriter(user);
      const c = await participantOf(author, conversationId);
      const erased = (await MessageModel.findOneAndUpdate(
        { _id: messageId, conversationId, authorId: author.id, deleted: op({ $ne: true }) },
        // A deletion is the message's last change: `editCount`, by which clients order a message's versions, counts it.
        { $set: { body: '', bodyHtml: '', deleted: true, deletedAt: new Date() }, $inc: { editCount: 1 } },
        { new: true },
      ).lean()) as StoredMessage | null;
      if (!erased) {
        const done = (await MessageModel.findOne({ _id: messageId, conversationId, authorId: author.id, deleted: true }).lean()) as StoredMessage | null;
        if (done) return { message: toMessageView(done) };
        throw await whyNotChanged(author, conversationId, messageId, 'delete');
      }
      await ConversationModel.updateOne({ _id: conversationId, 'lastMessage.id': messageId }, { $set: { 'lastMessage.snippet': '' } });
      const message = toMessageView(erased);
      for (const id of c.participantIds.map(String)) sink.messageUpdated(id, { conversationId, message });
      return { message };
    },

    /**
     * POST /conversations/:conversationId/leave: the member leaves (it goes from their inbox and
     * they can no longer read it); the others carry on without them. The last one out deletes it.
     * Their tabs hear the new unread count.
     */
    async leave(user: AuthUser | null, conversationId: string): Promise<{ conversationId: string; left: true; unreadCount: number }> {
      const member = policy.requireMember(user);
      await participantOf(member, conversationId);
      const after = (await ConversationModel.findOneAndUpdate(
        { _id: conversationId, participantIds: member.id },
        { $pull: { participantIds: new Types.ObjectId(member.id), participantNames: member.username } },
        { new: true },
      ).lean()) as StoredConversation | null;
      if (!after) throw notFound('Conversation'); // left already, in another request
      await ConversationRead.deleteOne({ _id: readIdFor(member.id, conversationId) });
      if (!after.participantIds.length) {
        await MessageModel.deleteMany({ conversationId });
        await ConversationRead.deleteMany({ conversationId });
        await ConversationModel.deleteOne({ _id: conversationId }); // no one can join one: empty stays empty
      }
      const count = await unreadCount(member.id);
      sink.read(member.id, { conversationId, unreadCount: count });
      return { conversationId, left: true, unreadCount: count };
    },

    /** POST /conversations/:conversationId/read: every message in it so far is read, in every tab. */
    async markRead(user: AuthUser | null, conversationId: string): Promise<{ unreadCount: number }> {
      const member = requireReader(user);
      const c = await participantOf(member, conversationId);
      await raiseRead(member.id, conversationId, c.messageCount);
      const count = await unreadCount(member.id);
      sink.read(member.id, { conversationId, unreadCount: count });
      return { unreadCount: count };
    },
  };
}
export type ConversationService = ReturnType<typeof createConversationService>;
