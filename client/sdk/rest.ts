import type { ErrorBody } from '../../shared/errors.js';
import type { Attachment, Bookmark, BookmarksPage, MyAttachments, Conversation, ConversationMessagesPage, ConversationsPage, ForumMarkResult, MembersPage, MembersQuery, NotificationsPage, PostRevisions, Poll, PollInput, PreviewResult, TopicsAcross, QueuePage, MyQueuePage, RejectedQueued, MemberActivity, Post, PrivateMessage, Warning, WarningList, TagList, TopicPosters, SearchResult, Topic, TopicReadResult, UnreadTopics } from '../../shared/schemas.js';
import { ForumError } from './forum-client.js';

/**
 * Minimal typed REST access (fetch, browser and Node alike); errors become ForumError.
 * Given several base URLs, a request that cannot reach one server (a network error, not an
 * HTTP error) is sent to the next, and later requests start from the one that answered.
 * Example: `createRest(['http://a:3000', 'http://b:3000'], token).get('/forums')`
 */
export function createRest(baseUrl: string | string[], token?: string) {
  const bases = (Array.isArray(baseUrl) ? baseUrl : [baseUrl]).map((u) => u.replace(/\/$/, ''));
  if (bases.length === 0) throw new Error('createRest: give at least one base URL');
  let bearer = token;
  let current = 0;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    // A FormData body (an upload) sets its own multipart content type.
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['content-type'] = 'application/json';
    const init = { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) };
    let res: Response | undefined;
    let lastError: unknown;
    for (let tried = 0; tried < bases.length && !res; tried++) {
      const at = (current + tried) % bases.length;
      try {
        res = await fetch(`${bases[at]}/api/v1${path}`, init);
        current = at;
      } catch (err) {
        lastError = err; // unreachable: try the next server
      }
    }
    if (!res) throw lastError instanceof Error ? lastError : new Error(String(lastError));
    const json = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    if (!res.ok) throw new ForumError(json?.error ?? { code: 'INTERNAL', message: `HTTP ${res.status}` });
    return json as T;
  }
  return {
    request,
    get: <T>(path: string) => request<T>('GET', path),
    /**
     * Posts whose subject or body holds every word (any case, taken literally), newest first, among what this token may read.
     * Example: `const { hits, pageCount } = await rest.search({ q: 'quick fox', forumId, page: 2 })`
     */
    search: (params: SearchParams) => request<SearchResult>('GET', `/search?${searchQueryString(params)}`),
    /** Topics no one has replied to yet, newest first, among what this token may read (phpBB's "Unanswered topics"). A helper bot's to-do list. */
    unanswered: (page = 1) => request<TopicsAcross>('GET', `/unanswered?page=${page}`),
    /**
     * phpBB's "Active topics" (Discourse's "Latest"): topics posted in within the last 7 days, in every forum you may read, last posted in first.
     * Example: `const { topics } = await rest.active()`
     */
    active: (page = 1) => request<TopicsAcross>('GET', `/active?page=${page}`),
    /**
     * The tags on topics you may read, most used first (Discourse's and NodeBB's tags).
     * Example: `const { tags } = await rest.tags()`
     */
    tags: () => request<TagList>('GET', '/tags'),
    /**
     * phpBB's "Who posted?": the members with visible posts in a topic and how many, most first.
     * Example: `const { posters } = await rest.topicPosters(topicId)`
     */
    topicPosters: (topicId: string) => request<TopicPosters>('GET', `/topics/${encodeURIComponent(topicId)}/posters`),
    /**
     * Topics with a tag, in every forum you may read, last posted in first.
     * Example: `const { topics } = await rest.tagged('help')`
     */
    tagged: (tag: string, page = 1) => request<TopicsAcross>('GET', `/tags/${encodeURIComponent(tag)}?page=${page}`),
    /**
     * Rename or retag a topic (its author while it is open, or a moderator); `tags: []` removes them. Announced as `topic:updated`.
     * Example: `await rest.editTopic(topicId, { tags: ['help', 'linux'] })`
     */
    editTopic: (topicId: string, change: { title?: string; tags?: string[] }) => request<{ topic: Topic; seq: number }>('PATCH', `/topics/${encodeURIComponent(topicId)}`, change),
    /**
     * Mark a topic read up to post `number` (never lowers it; past the end counts as the end). Members only.
     * Example: `const { number } = await rest.markTopicRead(topicId, lastShownPost.number)`
     */
    markTopicRead: (topicId: string, number: number) => request<TopicReadResult>('POST', `/topics/${encodeURIComponent(topicId)}/read`, { number }),
    /**
     * Mark one forum read (its topics last posted in until now). Members only.
     * Example: `await rest.markForumRead(forumId)`
     */
    markForumRead: (forumId: string) => request<ForumMarkResult>('POST', `/forums/${encodeURIComponent(forumId)}/read`),
    /**
     * Mark every forum read. Members only.
     * Example: `await rest.markAllRead()`
     */
    markAllRead: () => request<ForumMarkResult>('POST', '/forums/read'),
    /**
     * phpBB's "Most active forum" and "Most active topic" of a member, among what you may read.
     * Example: `const { mostActiveForum } = await rest.memberActivity(userId)`
     */
    memberActivity: (userId: string) => request<MemberActivity>('GET', `/users/${encodeURIComponent(userId)}/activity`),
    /**
     * Edit a post (its author, or a moderator): the new body, and optionally subject, reason and the
     * `editCount` you started from, so an edit someone made meanwhile is not overwritten (then `CONFLICT`).
     * Example: `await rest.editPost(post.id, 'Fixed the link', { editCount: post.editCount ?? 0 })`
     */
    editPost: (postId: string, body: string, opts: { subject?: string; reason?: string; editCount?: number } = {}) =>
      request<{ post: Post; seq: number }>('PATCH', `/posts/${encodeURIComponent(postId)}`, { body, ...opts }),
    /**
     * Delete a post (its author, or a moderator; moderators can restore it).
     * Example: `await rest.deletePost(post.id)`
     */
    deletePost: (postId: string) => request<{ seq: number }>('DELETE', `/posts/${encodeURIComponent(postId)}`),
    /**
     * Moderators: the replies named become a new topic titled `title` (in `forumId`, default the same forum), in their order.
     * Their old topic's watchers get `post:deleted` with `movedTo`; the new topic's forum gets `post:created`.
     * Example: `const { topic } = await rest.splitTopic(topicId, [post.id], 'Side discussion')`
     */
    splitTopic: (topicId: string, postIds: string[], title: string, opts: { forumId?: string; reason?: string } = {}) =>
      request<{ topic: Topic; moved: number }>('POST', `/topics/${encodeURIComponent(topicId)}/split`, { postIds, title, ...opts }),
    /**
     * Moderators: the replies named go, in order, to the end of another topic.
     * Example: `await rest.movePosts(topicId, [post.id], otherTopicId)`
     */
    movePosts: (topicId: string, postIds: string[], toTopicId: string, opts: { reason?: string } = {}) =>
      request<{ topic: Topic; moved: number }>('POST', `/topics/${encodeURIComponent(topicId)}/move-posts`, { postIds, toTopicId, ...opts }),
    /**
     * Moderators: every post of the topic goes to the end of another, and the topic is deleted (`mergedInto` names where it went).
     * Example: `await rest.mergeTopic(duplicateId, originalId, { reason: 'duplicate' })`
     */
    mergeTopic: (topicId: string, intoTopicId: string, opts: { reason?: string } = {}) =>
      request<{ topic: Topic; moved: number }>('POST', `/topics/${encodeURIComponent(topicId)}/merge`, { intoTopicId, ...opts }),
    /**
     * Moderators: warn a member (phpBB's "Warn user"; with `postId`, "Warn post"); they are told by a private message.
     * Example: `const { active } = await rest.warn(userId, 'Be civil', { postId })`
     */
    warn: (userId: string, reason: string, opts: { postId?: string } = {}) =>
      request<{ warning: Warning; active: number; told: boolean }>('POST', `/users/${encodeURIComponent(userId)}/warnings`, { reason, ...opts }),
    /**
     * A member's warnings, newest first, and how many are active (moderators, or the member themself).
     * Example: `const { warnings, active } = await rest.warnings(userId)`
     */
    warnings: (userId: string) => request<WarningList>('GET', `/users/${encodeURIComponent(userId)}/warnings`),
    /**
     * Moderators: take a warning back.
     * Example: `await rest.removeWarning(warning.id)`
     */
    removeWarning: (warningId: string) => request<{ id: string; deleted: true; active: number }>('DELETE', `/warnings/${encodeURIComponent(warningId)}`),
    /**
     * Your notifications (replies to your topics, mentions, quotes, thanks), newest first. Needs the `read` scope.
     * Example: `const { notifications, unreadCount } = await rest.notifications()`
     */
    notifications: (page = 1) => request<NotificationsPage>('GET', `/notifications?page=${page}`),
    /**
     * Mark these notifications read, or (no ids) all of them.
     * Example: `await rest.markNotificationsRead([n.id])`
     */
    markNotificationsRead: (ids?: string[]) => request<{ unreadCount: number }>('POST', '/notifications/read', ids ? { ids } : {}),
    /**
     * Private messages: your conversations, last written in first (`unread` per conversation, `unreadCount` in all).
     * Example: `const { conversations } = await rest.conversations()`
     */
    conversations: (page = 1) => request<ConversationsPage>('GET', `/conversations?page=${page}`),
    /**
     * Start a private conversation with members, by username. Example:
     * `const { conversation } = await rest.startConversation({ to: ['alice'], title: 'Hi', body: 'Hello!' })`
     */
    startConversation: (input: { to: string[]; title: string; body: string; clientId?: string }) => request<{ conversation: Conversation; message: PrivateMessage }>('POST', '/conversations', input),
    /** One page of a conversation's messages, oldest first (`'last'`: its last page). Participants only. */
    conversation: (conversationId: string, page: number | 'last' = 1) => request<ConversationMessagesPage>('GET', `/conversations/${encodeURIComponent(conversationId)}?page=${page}`),
    /** Write in a conversation. Example: `await rest.sendMessage(conversationId, 'Thanks!')` */
    sendMessage: (conversationId: string, body: string, clientId?: string) => request<{ message: PrivateMessage }>('POST', `/conversations/${encodeURIComponent(conversationId)}/messages`, clientId ? { body, clientId } : { body }),
    /** Edit your own message (every participant's tabs hear `message:updated`). */
    editMessage: (conversationId: string, messageId: string, body: string) =>
      request<{ message: PrivateMessage }>('PATCH', `/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}`, { body }),
    /** Posts awaiting approval, oldest first (moderators; see APPROVE_POSTS_UNDER). */
    queue: (page = 1) => request<QueuePage>('GET', `/queue?page=${page}`),
    /** Approve a held post: it is posted as its author's, now. */
    approve: (queuedId: string) => request<{ post: Post; topic?: Topic }>('POST', `/queue/${encodeURIComponent(queuedId)}/approve`, {}),
    /** Reject a held post: it is deleted unposted (the reason goes to the moderation log, and, unless `tell: false`, to its author in a private message with their text). */
    reject: (queuedId: string, reason?: string, opts: { tell?: boolean } = {}) =>
      request<RejectedQueued>('POST', `/queue/${encodeURIComponent(queuedId)}/reject`, { ...(reason ? { reason } : {}), ...(opts.tell === false ? { tell: false } : {}) }),
    /** The signed-in member's own posts awaiting approval, oldest first. */
    myQueue: (page = 1) => request<MyQueuePage>('GET', `/queue/mine?page=${page}`),
    /** Delete your own message: its text is erased, a placeholder (`deleted: true`) keeps its place; every participant's tabs hear `message:updated`. */
    deleteMessage: (conversationId: string, messageId: string) =>
      request<{ message: PrivateMessage }>('DELETE', `/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}`),
    /** Leave a conversation: it goes from your inbox; the others carry on without you. */
    leaveConversation: (conversationId: string) => request<{ conversationId: string; left: true; unreadCount: number }>('POST', `/conversations/${encodeURIComponent(conversationId)}/leave`, {}),
    /** Mark a conversation read (every message so far). */
    markConversationRead: (conversationId: string) => request<{ unreadCount: number }>('POST', `/conversations/${encodeURIComponent(conversationId)}/read`, {}),
    /**
     * The member's unread topics across the board, last posted in first ("View unread posts"). Members only.
     * Example: `const { topics, pageCount } = await rest.unreadTopics(2)`
     */
    unreadTopics: (page = 1) => request<UnreadTopics>('GET', `/unread?page=${page}`),
    /**
     * The member list (bots left out), 25 a page. Example: `const { members } = await rest.members({ sort: 'posts', filter: 'team' })`
     */
    members: (query: Partial<MembersQuery> = {}) =>
      request<MembersPage>('GET', `/members?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`),
    /** Ignore a member (not staff): their mentions, quotes, replies and thanks stop notifying you, and they cannot start a conversation with you. */
    ignore: (userId: string) => request<{ userId: string; ignoring: true }>('PUT', `/users/${encodeURIComponent(userId)}/ignore`),
    /** Stop ignoring a member. */
    unignore: (userId: string) => request<{ userId: string; ignoring: false }>('DELETE', `/users/${encodeURIComponent(userId)}/ignore`),
    /** Add a member to your friends (phpBB's "Add friend"; not someone you ignore). Listed in `GET /users/me`'s `friends`. */
    befriend: (userId: string) => request<{ userId: string; friend: true }>('PUT', `/users/${encodeURIComponent(userId)}/friend`),
    /** Remove a member from your friends. */
    unfriend: (userId: string) => request<{ userId: string; friend: false }>('DELETE', `/users/${encodeURIComponent(userId)}/friend`),
    /** Every version of a post, the first as written first, the current last (Discourse's revisions). */
    revisions: (postId: string) => request<PostRevisions>('GET', `/posts/${encodeURIComponent(postId)}/revisions`),
    /** A body rendered as a post would show it, stored nowhere (phpBB's Preview). Example: `const { bodyHtml } = await rest.preview('**hi**')` */
    preview: (body: string) => request<PreviewResult>('POST', '/preview', { body }),
    /** Bookmark a post (again: change its note; `null` clears the note). Example: `await rest.bookmark(postId, 'read later')` */
    bookmark: (postId: string, note?: string | null) => request<{ bookmark: Bookmark }>('PUT', `/posts/${encodeURIComponent(postId)}/bookmark`, note === undefined ? {} : { note }),
    /** Remove a bookmark (none: nothing changes). */
    unbookmark: (postId: string) => request<{ postId: string; bookmarked: false }>('DELETE', `/posts/${encodeURIComponent(postId)}/bookmark`),
    /** Your bookmarks, newest first, each with its post, topic and forum. */
    bookmarks: (page = 1) => request<BookmarksPage>('GET', `/bookmarks?page=${page}`),
    /**
     * Upload a file (PNG, JPEG, GIF, WebP or PDF, as its bytes say) and get its `url`; put
     * `attachmentMarkup(attachment)` in a post to show it. Members and tokens with `post`.
     * Example: `const { attachment } = await rest.upload(new Blob([bytes]), 'chart.png')`
     */
    upload: (file: Blob, name: string) => {
      const form = new FormData();
      form.append('file', file, name);
      return request<{ attachment: Attachment }>('POST', '/attachments', form);
    },
    /** Your uploads, newest first, with your quota. */
    myAttachments: (page = 1) => request<MyAttachments>('GET', `/users/me/attachments?page=${page}`),
    /** Delete one of your uploads (moderators: anyone's); posts showing it then show nothing there. */
    deleteAttachment: (id: string) => request<{ id: string }>('DELETE', `/attachments/${encodeURIComponent(id)}`),
    /** Choose a reply as your topic's solution (or any topic's, as a moderator). Example: `await rest.markSolution(topicId, postId)` */
    markSolution: (topicId: string, postId: string) => request<{ topic: Topic; seq: number }>('POST', `/topics/${encodeURIComponent(topicId)}/solution`, { postId }),
    /** The topic has no solution again. */
    unmarkSolution: (topicId: string) => request<{ topic: Topic; seq: number }>('DELETE', `/topics/${encodeURIComponent(topicId)}/solution`),
    /** A topic's poll, with your own choices (`myChoices`) and whether you may vote now. */
    poll: (topicId: string) => request<{ poll: Poll }>('GET', `/topics/${encodeURIComponent(topicId)}/poll`),
    /**
     * Vote in a topic's poll: option indexes from 0; `[]` takes your vote back where votes may change.
     * Example: `const { poll } = await rest.vote(topicId, [1])`
     */
    vote: (topicId: string, choices: number[]) => request<{ poll: Poll }>('POST', `/topics/${encodeURIComponent(topicId)}/poll/vote`, { choices }),
    /** Close your topic's poll now (or any, as a moderator); its totals show if they waited for the close. */
    closePoll: (topicId: string) => request<{ poll: Poll }>('POST', `/topics/${encodeURIComponent(topicId)}/poll/close`),
    /** Open a closed poll again, with no end. */
    reopenPoll: (topicId: string) => request<{ poll: Poll }>('POST', `/topics/${encodeURIComponent(topicId)}/poll/reopen`),
    /** Add a poll to your own topic (or any, as a moderator). Example: `await rest.addPoll(topicId, { question: 'When?', options: ['Friday', 'Saturday'] })` */
    addPoll: (topicId: string, input: Partial<PollInput> & Pick<PollInput, 'question' | 'options'>) => request<{ poll: Poll; topic: Topic }>('POST', `/topics/${encodeURIComponent(topicId)}/poll`, input),
    /** Remove a topic's poll (moderators; its author while no one has voted). */
    removePoll: (topicId: string) => request<{ topicId: string; removed: true }>('DELETE', `/topics/${encodeURIComponent(topicId)}/poll`),
    /**
     * End this login on the server: its token is refused from now on (REST and sockets, every
     * node) and the sockets it opened are dropped; your other logins go on. Forgets the token here.
     * Example: `await rest.logout()`
     */
    logout: async () => {
      const answer = await request<{ loggedOut: true }>('POST', '/auth/logout', {});
      bearer = undefined;
      return answer;
    },
    setToken: (t: string | undefined) => (bearer = t),
  };
}
export type Rest = ReturnType<typeof createRest>;

/** What GET /search takes: words, or an author alone (all of their posts), or both. */
export type SearchParams = ({ q: string; authorId?: string } | { q?: string; authorId: string }) & { forumId?: string; /** Only this topic's posts. */ topicId?: string; page?: number };

/** The query string of GET /search for these params (the keys left out that are not given). */
export function searchQueryString(params: SearchParams): string {
  const query = new URLSearchParams();
  if (params.q !== undefined) query.set('q', params.q);
  if (params.forumId) query.set('forumId', params.forumId);
  if (params.topicId) query.set('topicId', params.topicId);
  if (params.authorId) query.set('authorId', params.authorId);
  if (params.page !== undefined) query.set('page', String(params.page));
  return query.toString();
}
