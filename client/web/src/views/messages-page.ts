import type { Conversation, ConversationsPage } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import type { MessageChange } from '../live/message-store.js';
import { onReconnect } from '../live/on-reconnect.js';
import { heldChanges } from '../live/held-changes.js';
import { byData, h, replaceChildren } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading, userLink, userList } from './common.js';
import { newMessageForm } from './new-message-form.js';
import { pagination } from './pagination.js';

/**
 * The member's private conversations (phpBB's PM inbox, NodeBB's chats), last written in first:
 * each with its title, who is in it and its last message. Unread ones are bold, with New. A new
 * message moves its conversation to the top of page 1 live; reading one in any tab shows at once.
 * The New message form starts a conversation and goes to it.
 */
export function messagesPage(ctx: WebContext, main: HTMLElement, page: number, to?: string): Page {
  let alive = true;
  ctx.setPlace('Private messages', [{ label: 'Board index', href: paths.board() }, { label: 'Private messages' }]);
  if (!ctx.session) {
    replaceChildren(main, h('h1', { class: 'page-title' }, 'Private messages'), h('p', { class: 'panel' }, h('a', { href: paths.login(paths.messages(page)) }, 'Log in'), ' to read and send private messages.'));
    return { dispose() {} };
  }
  const me = ctx.session.user.id;
  replaceChildren(main, loading());
  const store = ctx.messages;
  const form = newMessageForm({
    draftKey: 'message:new',
    api: ctx.api,
    async send(input) {
      const { conversation } = await ctx.api.request<{ conversation: Conversation }>('POST', '/conversations', input);
      if (alive) ctx.navigate(paths.conversation(conversation.id));
    },
  });
  const rows = h('tbody');
  const empty = h('p', { class: 'panel no-conversations', hidden: true }, 'You have no private messages.');
  let table: HTMLElement | null = null;
  /** The table shows when it has rows; the empty note when it has none. */
  const showRows = () => {
    empty.hidden = rows.children.length > 0;
    if (table) table.hidden = !empty.hidden;
  };
  const total = h('p', { class: 'total' });
  const topBar = h('div', { class: 'action-bar top' });
  const bottomBar = h('div', { class: 'action-bar bottom' });
  /** The page shown, once the list is there; until then, pushes wait. */
  let shown: number | null = null;
  const changes = heldChanges<MessageChange>((l) => store.subscribe(l), apply);
  // Pushes made while the socket was away are lost: fetch the page again once it is back.
  const stopReconnect = onReconnect(ctx.client, () => void load());

  async function load(): Promise<void> {
    try {
      const data = await store.inbox(page);
      if (alive) render(data);
    } catch (err) {
      if (alive && shown === null) replaceChildren(main, errorPanel(err));
    }
  }

  /** The list and its bars; the page around them (and the form, whatever is typed in it) is drawn once. */
  function render(data: ConversationsPage): void {
    const pages = () => pagination(data.page, data.pageCount, (p) => paths.messages(p), 'Message pages');
    replaceChildren(rows, data.conversations.map(row));
    replaceChildren(topBar, h('button', { type: 'button', class: 'button primary new-message', onclick: () => form.open() }, 'New message'), total, pages());
    replaceChildren(bottomBar, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages());
    if (shown === null) {
      replaceChildren(
        main,
        h('h1', { class: 'page-title' }, 'Private messages'),
        topBar,
        form.el,
        (table = h(
          'table',
          { class: 'list conversations' },
          h('caption', { class: 'visually-hidden' }, 'Conversations'),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Conversations'), h('th', { scope: 'col', class: 'num' }, 'Messages'), h('th', { scope: 'col' }, 'Last message'))),
          rows,
        )),
        empty,
        bottomBar,
      );
      if (to) form.open(to); // "Send private message" on a member's profile
    }
    shown = data.page;
    showRows();
    showTotal();
    changes.shown();
  }

  function showTotal(): void {
    const n = store.count ?? 0;
    total.dataset.total = String(n);
    total.textContent = n ? plural(n, 'unread conversation') : 'No unread messages';
  }

  function apply(change: MessageChange): void {
    if (change.type === 'new') {
      // The conversation goes to the top of page 1 (and so leaves any later page).
      for (const el of byData(rows, 'conversation-id', change.conversation.id)) el.remove();
      if (shown === 1) {
        rows.prepend(row(change.conversation));
        while (rows.children.length > LIMITS.conversationsPerPage) rows.lastElementChild?.remove();
      }
      showRows();
    } else if (change.type === 'read') {
      for (const el of byData(rows, 'conversation-id', change.conversationId)) setUnread(el, false);
    }
    showTotal();
  }

  /** One conversation: its title (to its newest message), who is in it, how many messages, the last one. */
  function row(c: Conversation): HTMLElement {
    const lastPage = Math.max(1, Math.ceil(c.messageCount / LIMITS.messagesPerPage));
    const newest = paths.conversation(c.id, lastPage, c.lastMessage.id);
    const others = c.participants.filter((p) => p.id !== me);
    const el = h(
      'tr',
      { class: 'conversation', 'data-conversation-id': c.id },
      h(
        'th',
        { scope: 'row', class: 'title' },
        h('a', { href: newest, class: 'badge new', title: 'Go to the newest message' }, 'New'),
        h('a', { href: newest, class: 'conversation-title' }, c.title),
        h('p', { class: 'meta participants' }, 'with ', userList(others.length ? others : c.participants)),
      ),
      h('td', { class: 'num', 'data-label': 'Messages' }, c.messageCount),
      h(
        'td',
        { class: 'last', 'data-label': 'Last message' },
        h(
          'span',
          { class: 'lastpost last-message' },
          h('a', { href: newest, class: 'snippet', title: 'Go to the newest message' }, c.lastMessage.snippet),
          h('span', { class: 'by' }, 'by ', h('strong', { class: 'last-author' }, userLink(c.lastMessage.author))),
          h('time', { datetime: c.lastMessage.createdAt }, formatDateTime(c.lastMessage.createdAt)),
        ),
      ),
    );
    setUnread(el, c.unread);
    return el;
  }

  void load();
  return {
    dispose() {
      alive = false;
      changes.stop();
      stopReconnect();
    },
  };
}

function setUnread(el: HTMLElement, unread: boolean): void {
  el.classList.toggle('unread', unread);
  const badge = el.querySelector<HTMLElement>('.badge.new');
  if (badge) badge.hidden = !unread;
}
