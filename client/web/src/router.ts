// Client routes. The server answers each of these paths with the page shell (SPA fallback).
import { LIMITS } from '../../../shared/limits.js';
import { searchQueryString, type ReportStatus, type SearchParams } from '../../sdk/index.js';
import { membersQueryString, membersRequestOf, type MembersRequest } from './members-query.js';

/** Open a topic where something is rather than at a page: the first unread post, or a given post. */
export type TopicJump = 'unread' | { post: string };

/** A forum listing's solved filter (the server's `solved` query). */
export type SolvedFilter = 'yes' | 'no';

/** What a forum listing is narrowed to: solved or unsolved topics, one tag's topics, or both. */
export interface ForumFilter {
  solved?: SolvedFilter;
  tag?: string;
}

export type Route =
  | { name: 'board' }
  | { name: 'forum'; forumId: string; page: number; filter: ForumFilter }
  | { name: 'topic'; topicId: string; page: number; jump?: TopicJump }
  | { name: 'login'; next: string; register?: boolean }
  | { name: 'member'; userId: string }
  | { name: 'ucp' }
  | { name: 'modlog'; page: number }
  | { name: 'reports'; status: ReportStatus; page: number }
  | { name: 'queue'; page: number }
  | { name: 'who-is-online' }
  | { name: 'unread'; page: number }
  | { name: 'unanswered'; page: number }
  | { name: 'active'; page: number }
  | { name: 'tags' }
  | { name: 'tag'; tag: string; page: number }
  | { name: 'notifications'; page: number }
  | { name: 'bookmarks'; page: number }
  | { name: 'messages'; page: number; /** A member to write to (the New message form opens with them in To). */ to?: string }
  | { name: 'conversation'; conversationId: string; page: number | 'last' }
  | { name: 'search'; q: string; authorId?: string; forumId?: string; topicId?: string; page: number }
  | { name: 'members'; request: MembersRequest }
  | { name: 'not-found' };

const ID = /^[a-f0-9]{24}$/i;

/** `?page=N`, or `?page=last` (the server answers a page past the end with its last page). */
function pageOf(params: URLSearchParams): number {
  if (params.get('page') === 'last') return LIMITS.pageMax;
  const n = Number(params.get('page') ?? '1');
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function parseRoute(url: URL): Route {
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'board' };
  if (parts.length === 1 && (parts[0] === 'login' || parts[0] === 'register')) {
    const next = url.searchParams.get('next') ?? '/';
    return { name: 'login', next: next.startsWith('/') && !next.startsWith('//') ? next : '/', register: parts[0] === 'register' };
  }
  if (parts.length === 1 && parts[0] === 'ucp') return { name: 'ucp' };
  if (parts.length === 1 && parts[0] === 'mcp') return { name: 'modlog', page: pageOf(url.searchParams) };
  if (parts.length === 2 && parts[0] === 'mcp' && parts[1] === 'reports') {
    return { name: 'reports', status: url.searchParams.get('status') === 'closed' ? 'closed' : 'open', page: pageOf(url.searchParams) };
  }
  if (parts.length === 2 && parts[0] === 'mcp' && parts[1] === 'queue') return { name: 'queue', page: pageOf(url.searchParams) };
  if (parts.length === 2 && parts[0] === 'mcp' && parts[1] === 'online') return { name: 'who-is-online' };
  if (parts.length === 1 && parts[0] === 'unread') return { name: 'unread', page: pageOf(url.searchParams) };
  if (parts.length === 1 && parts[0] === 'unanswered') return { name: 'unanswered', page: pageOf(url.searchParams) };
  if (parts.length === 1 && parts[0] === 'active') return { name: 'active', page: pageOf(url.searchParams) };
  if (parts.length === 1 && parts[0] === 'tags') return { name: 'tags' };
  if (parts.length === 2 && parts[0] === 'tags') {
    const tag = decodedPart(parts[1]);
    if (tag) return { name: 'tag', tag, page: pageOf(url.searchParams) };
  }
  if (parts.length === 1 && parts[0] === 'notifications') return { name: 'notifications', page: pageOf(url.searchParams) };
  if (parts.length === 1 && parts[0] === 'bookmarks') return { name: 'bookmarks', page: pageOf(url.searchParams) };
  if (parts.length === 1 && parts[0] === 'messages') return { name: 'messages', page: pageOf(url.searchParams), to: url.searchParams.get('to')?.trim() || undefined };
  if (parts.length === 2 && parts[0] === 'messages' && ID.test(parts[1])) {
    return { name: 'conversation', conversationId: parts[1], page: url.searchParams.get('page') === 'last' ? 'last' : pageOf(url.searchParams) };
  }
  if (parts.length === 1 && parts[0] === 'search') {
    const id = (key: string) => (ID.test(url.searchParams.get(key) ?? '') ? url.searchParams.get(key)! : undefined);
    return { name: 'search', q: url.searchParams.get('q') ?? '', authorId: id('authorId'), forumId: id('forumId'), topicId: id('topicId'), page: pageOf(url.searchParams) };
  }
  if (parts.length === 1 && parts[0] === 'members') return { name: 'members', request: membersRequestOf(url.searchParams, pageOf(url.searchParams)) };
  if (parts.length === 2 && parts[0] === 'u' && ID.test(parts[1])) return { name: 'member', userId: parts[1] };
  if (parts.length === 2 && parts[0] === 'f' && ID.test(parts[1])) {
    const solved = url.searchParams.get('solved');
    const tag = url.searchParams.get('tag')?.trim().toLowerCase();
    return { name: 'forum', forumId: parts[1], page: pageOf(url.searchParams), filter: { ...((solved === 'yes' || solved === 'no') && { solved }), ...(tag && { tag }) } };
  }
  if (parts.length === 2 && parts[0] === 't' && ID.test(parts[1])) {
    const post = url.searchParams.get('post') ?? '';
    const jump: TopicJump | undefined = url.searchParams.get('page') === 'unread' ? 'unread' : ID.test(post) ? { post } : undefined;
    return { name: 'topic', topicId: parts[1], page: pageOf(url.searchParams), ...(jump && { jump }) };
  }
  return { name: 'not-found' };
}

/** A path segment as text (a tag may be any letters: `caf%C3%A9`); null when it is not valid percent-encoding. */
function decodedPart(part: string): string | null {
  try {
    return decodeURIComponent(part).trim().toLowerCase() || null;
  } catch {
    return null;
  }
}

export const paths = {
  board: () => '/',
  /** A forum's topics; `solved`: only those with (`yes`) or without (`no`) a solution; `tag`: only those with that tag. */
  forum: (forumId: string, page = 1, { solved, tag }: ForumFilter = {}) => {
    const query = new URLSearchParams({ ...(page > 1 && { page: String(page) }), ...(solved && { solved }), ...(tag && { tag }) }).toString();
    return `/f/${encodeURIComponent(forumId)}${query ? `?${query}` : ''}`;
  },
  topic: (topicId: string, page = 1, postId?: string) =>
    `/t/${encodeURIComponent(topicId)}${page > 1 ? `?page=${page}` : ''}${postId ? `#p${encodeURIComponent(postId)}` : ''}`,
  /** The page holding a topic's newest post, scrolled to it (for "last post" links). */
  lastPost: (topicId: string, postId: string) => `/t/${encodeURIComponent(topicId)}?page=last#p${encodeURIComponent(postId)}`,
  /** A post wherever it is now (the server finds its page), scrolled to it: for search hits. */
  post: (topicId: string, postId: string) => `/t/${encodeURIComponent(topicId)}?post=${encodeURIComponent(postId)}#p${encodeURIComponent(postId)}`,
  /** A topic at the member's first unread post. */
  firstUnread: (topicId: string) => `/t/${encodeURIComponent(topicId)}?page=unread`,
  login: (next: string) => `/login?next=${encodeURIComponent(next)}`,
  register: (next: string) => `/register?next=${encodeURIComponent(next)}`,
  /** A member's profile page. */
  member: (userId: string) => `/u/${encodeURIComponent(userId)}`,
  /** The signed-in member's settings (phpBB's User Control Panel). */
  ucp: () => '/ucp',
  /** The moderation log (phpBB's Moderator Control Panel), for moderators. */
  modlog: (page = 1) => `/mcp${page > 1 ? `?page=${page}` : ''}`,
  /** Reported posts (phpBB's MCP "Reported posts"), open or closed, for moderators. */
  reports: (status: ReportStatus = 'open', page = 1) => {
    const query = new URLSearchParams({ ...(status === 'closed' && { status }), ...(page > 1 && { page: String(page) }) }).toString();
    return `/mcp/reports${query ? `?${query}` : ''}`;
  },
  /** Posts awaiting approval (phpBB's MCP "Moderation queue"), oldest first, for moderators. */
  queue: (page = 1) => `/mcp/queue${page > 1 ? `?page=${page}` : ''}`,
  /** Everyone online, where and since when, live (phpBB's "Who is online" page), for moderators. */
  whoIsOnline: () => '/mcp/online',
  /** The member's unread topics across the board (phpBB's "View unread posts"). */
  unread: (page = 1) => `/unread${page > 1 ? `?page=${page}` : ''}`,
  /** Topics no one has replied to yet, across the board (phpBB's "Unanswered topics"). */
  unanswered: (page = 1) => `/unanswered${page > 1 ? `?page=${page}` : ''}`,
  active: (page = 1) => `/active${page > 1 ? `?page=${page}` : ''}`,
  /** The tags in use, most used first, each with its number of topics (Discourse's and NodeBB's tags page). */
  tags: () => '/tags',
  /** One tag's topics across every forum the reader may read, last posted in first. */
  tag: (tag: string, page = 1) => `/tags/${encodeURIComponent(tag)}${page > 1 ? `?page=${page}` : ''}`,
  /** The member's notifications: replies to their topics, mentions, quotes and thanks. */
  notifications: (page = 1) => `/notifications${page > 1 ? `?page=${page}` : ''}`,
  /** The posts the member bookmarked, newest bookmark first. */
  bookmarks: (page = 1) => `/bookmarks${page > 1 ? `?page=${page}` : ''}`,
  /** The member's private conversations (phpBB's private messages, NodeBB's chats), last written in first. */
  messages: (page = 1) => `/messages${page > 1 ? `?page=${page}` : ''}`,
  /** The inbox with the New message form open, addressed to this member. */
  messageTo: (username: string) => `/messages?to=${encodeURIComponent(username)}`,
  /** One private conversation at a page (or its last), optionally scrolled to a message. */
  conversation: (conversationId: string, page: number | 'last' = 1, messageId?: string) =>
    `/messages/${encodeURIComponent(conversationId)}${page === 'last' || page > 1 ? `?page=${page}` : ''}${messageId ? `#m${encodeURIComponent(messageId)}` : ''}`,
  /** The member list (phpBB's "Members"; `filter: 'team'` is "The team"), sorted, by the start of the name, paged. */
  members: (request: Partial<MembersRequest> = {}) => {
    const query = membersQueryString(request);
    return `/members${query ? `?${query}` : ''}`;
  },
  /** Search results: words, an author's posts, or both; optionally in one forum. */
  search: (params: { q?: string; authorId?: string; forumId?: string; topicId?: string; page?: number }) =>
    // The API's own query string (blank words and page 1 left out), as the page's address.
    `/search?${searchQueryString({ ...params, q: params.q || undefined, page: params.page && params.page > 1 ? params.page : undefined } as SearchParams)}`,
};

/** Same-origin links to client routes are handled without a page load. */
export function interceptLinks(navigate: (path: string) => void): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = (event.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // in-page anchor
    if (parseRoute(url).name === 'not-found') return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
