// The live thread viewer: a thin client over the typed SDK, served by the forum server itself.
import './styles.css';
import { connect, type ForumClient } from '../../sdk/index.js';
import { createApi, type Api } from './api.js';
import type { Page, WebContext } from './context.js';
import { h } from './dom.js';
import { OnlineStore } from './live/online-store.js';
import { NotificationStore } from './live/notification-store.js';
import { MessageStore } from './live/message-store.js';
import { ReportStore } from './live/report-store.js';
import { QueueStore } from './live/queue-store.js';
import { PresenceDetailStore } from './live/presence-detail-store.js';
import { IgnoreList } from './live/ignore-list.js';
import { FriendList } from './live/friend-list.js';
import type { OwnLists } from './live/member-list.js';
import { resumeAfterServerDisconnect } from './live/resume.js';
import { interceptLinks, parseRoute, paths } from './router.js';
import { browserSessionId, forgetSession, loadSession, saveSession, SESSION_KEY, type Session } from './session.js';
import { boardPage } from './views/board-page.js';
import { errorPanel } from './views/common.js';
import { forumPage } from './views/forum-page.js';
import { createHeader } from './views/header.js';
import { loginPage } from './views/login-page.js';
import { topicPage } from './views/topic-page.js';
import { memberPage } from './views/member-page.js';
import { ucpPage } from './views/ucp-page.js';
import { searchPage } from './views/search-page.js';
import { modlogPage } from './views/modlog-page.js';
import { unreadPage } from './views/unread-page.js';
import { notificationsPage } from './views/notifications-page.js';
import { bookmarksPage } from './views/bookmarks-page.js';
import { messagesPage } from './views/messages-page.js';
import { conversationPage } from './views/conversation-page.js';
import { reportsPage } from './views/reports-page.js';
import { queuePage } from './views/queue-page.js';
import { whoIsOnlinePage } from './views/who-is-online-page.js';
import { membersPage } from './views/members-page.js';
import { announceFeed } from './views/feed-link.js';
import { ACTIVE, taggedTopics, topicsAcrossPage, UNANSWERED } from './views/topics-across-page.js';
import { tagsPage } from './views/tags-page.js';
import { ForumError } from '../../sdk/index.js';

const header = createHeader((path) => ctx.navigate(path));
const main = h('main', { id: 'main', tabindex: '-1' });
const footer = h('footer', { class: 'site-footer' }, h('p', null, 'Realtime Forum · posts, thanks and who is online, live.'));
document.getElementById('app')!.replaceChildren(header.el, main, footer);

let session: Session | null = loadSession();
let client: ForumClient;
let api: Api;
let online: OnlineStore;
let notifications: NotificationStore;
let messages: MessageStore;
let reports: ReportStore;
let queue: QueueStore;
let presenceDetail: PresenceDetailStore;
let ignoreList: IgnoreList;
let friendList: FriendList;
let stopState: () => void = () => {};
let current: Page | null = null;

/** (Re)connect as whoever is logged in now. */
function connectClient(): void {
  stopState();
  online?.close();
  notifications?.close();
  messages?.close();
  reports?.close();
  queue?.close();
  presenceDetail?.close();
  client?.close();
  client = connect({ url: location.origin, token: session?.token, sessionId: browserSessionId() });
  api = createApi(session?.token, browserSessionId());
  header.setState(client.state);
  const stopListening = client.onState((state) => {
    header.setState(state);
    if (state === 'unauthorized' && session) {
      // Another tab of this browser may already hold a fresh token (a password changed there
      // revokes this one): carry on with it.
      const stored = loadSession();
      if (stored && stored.token !== session.token) return adopt(stored);
      // The token expired or was revoked: carry on as a guest, and say so (drafts are kept).
      // Only this token is forgotten: a session another tab saves meanwhile stays.
      forgetSession(session.token);
      adopt(null);
      header.notify('You were signed out. Log in again to post; what you were writing is kept.');
    }
  });
  const stopResuming = resumeAfterServerDisconnect(client);
  stopState = () => {
    stopListening();
    stopResuming();
  };
  online = new OnlineStore(client, api);
  notifications = new NotificationStore(client, api, !!session);
  header.setNotifications(notifications);
  messages = new MessageStore(client, api, !!session);
  header.setMessages(messages);
  const role = session?.user.role;
  const moderator = role === 'moderator' || role === 'admin';
  reports = new ReportStore(client, api, moderator);
  header.setReports(reports);
  queue = new QueueStore(client, api, moderator);
  header.setQueue(queue);
  // Made with the socket: the server sends a moderator's first list as soon as it connects.
  presenceDetail = new PresenceDetailStore(client, moderator);
  // The same member with a new token (a password change) keeps the lists, and the pages showing them.
  const userId = session?.user.id ?? null;
  if (ignoreList?.userId !== userId) {
    ignoreList?.close();
    friendList?.close();
    // One GET /users/me names both lists.
    const first = userId ? api.get<OwnLists>('/users/me') : undefined;
    ignoreList = new IgnoreList(() => api, userId, first);
    friendList = new FriendList(() => api, userId, first);
  }
}

/** Become whoever this browser's stored session says (another tab logged in or out), and show the page as them. */
function adopt(next: Session | null): void {
  if (next) header.notify(null);
  session = next;
  connectClient();
  header.setAccount(ctx);
  render(false);
}

// Tabs share the session (localStorage): a login, logout or new token in one reaches the others.
window.addEventListener('storage', (event) => {
  if (event.key !== SESSION_KEY) return;
  const stored = loadSession();
  if (stored?.token !== session?.token) adopt(stored);
});

const ctx: WebContext = {
  get client() {
    return client;
  },
  get api() {
    return api;
  },
  get session() {
    return session;
  },
  get online() {
    return online;
  },
  get notifications() {
    return notifications;
  },
  get messages() {
    return messages;
  },
  get reports() {
    return reports;
  },
  get queue() {
    return queue;
  },
  get presenceDetail() {
    return presenceDetail;
  },
  get ignoreList() {
    return ignoreList;
  },
  get friendList() {
    return friendList;
  },
  navigate(path, opts = {}) {
    if (opts.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    render(true);
  },
  setPlace(title, crumbs) {
    document.title = `${title} · Realtime Forum`;
    header.setCrumbs(crumbs);
  },
  notify(text) {
    header.notify(text);
  },
  login(next) {
    header.notify(null);
    session = next;
    saveSession(next);
    connectClient();
    header.setAccount(ctx);
  },
  logout() {
    // The server ends this login (its token stops working everywhere); this browser forgets it either way.
    if (session) api.request('POST', '/auth/logout', {}).catch(() => undefined);
    session = null;
    saveSession(null);
    connectClient();
    header.setAccount(ctx);
    render(false);
  },
};

/** The page drawn last, without its `#`: moving between anchors of one page draws nothing again. */
let drawn = '';

function render(moveFocus: boolean): void {
  drawn = location.pathname + location.search;
  current?.dispose();
  announceFeed(null); // a page with a feed announces its own
  const route = parseRoute(new URL(location.href));
  header.setAccount(ctx);
  switch (route.name) {
    case 'board':
      current = boardPage(ctx, main);
      break;
    case 'forum':
      current = forumPage(ctx, main, route.forumId, route.page, route.filter);
      break;
    case 'topic':
      current = topicPage(ctx, main, route.topicId, route.page, route.jump);
      break;
    case 'login':
      current = loginPage(ctx, main, route.next, route.register);
      break;
    case 'member':
      current = memberPage(ctx, main, route.userId);
      break;
    case 'ucp':
      current = ucpPage(ctx, main);
      break;
    case 'unread':
      current = unreadPage(ctx, main, route.page);
      break;
    case 'unanswered':
      current = topicsAcrossPage(ctx, main, route.page, UNANSWERED);
      break;
    case 'active':
      current = topicsAcrossPage(ctx, main, route.page, ACTIVE);
      break;
    case 'tags':
      current = tagsPage(ctx, main);
      break;
    case 'tag':
      current = topicsAcrossPage(ctx, main, route.page, taggedTopics(route.tag));
      break;
    case 'notifications':
      current = notificationsPage(ctx, main, route.page);
      break;
    case 'bookmarks':
      current = bookmarksPage(ctx, main, route.page);
      break;
    case 'messages':
      current = messagesPage(ctx, main, route.page, route.to);
      break;
    case 'conversation':
      current = conversationPage(ctx, main, route.conversationId, route.page);
      break;
    case 'modlog':
      current = modlogPage(ctx, main, route.page);
      break;
    case 'reports':
      current = reportsPage(ctx, main, route.status, route.page);
      break;
    case 'queue':
      current = queuePage(ctx, main, route.page);
      break;
    case 'who-is-online':
      current = whoIsOnlinePage(ctx, main);
      break;
    case 'search':
      current = searchPage(ctx, main, route);
      break;
    case 'members':
      current = membersPage(ctx, main, route.request);
      break;
    default:
      ctx.setPlace('Not found', [{ label: 'Board index', href: paths.board() }, { label: 'Not found' }]);
      main.replaceChildren(errorPanel(new ForumError({ code: 'NOT_FOUND', message: 'No such page' })));
      current = { dispose() {} };
  }
  if (moveFocus) {
    if (!location.hash) window.scrollTo(0, 0);
    if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
  }
}

connectClient();
interceptLinks((path) => ctx.navigate(path));
// Back, Forward, and in-page anchors (Chromium fires popstate for those too): a new page is
// drawn; another `#` of the page shown is the browser's to scroll to.
window.addEventListener('popstate', () => {
  if (location.pathname + location.search !== drawn) render(true);
});
render(false);
