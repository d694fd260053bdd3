import type { Conversation, ConversationMessagesPage, PrivateMessage } from '../../../sdk/index.js';
import { newClientId } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import type { MessageChange } from '../live/message-store.js';
import { conversationReader } from '../live/conversation-reader.js';
import { onReconnect } from '../live/on-reconnect.js';
import { heldChanges } from '../live/held-changes.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading, userList } from './common.js';
import { messageView } from './message-view.js';
import type { MessageEditing } from './message-controls.js';
import { pagination } from './pagination.js';
import { replyForm } from './reply-form.js';
import { composeTools } from './compose-tools.js';
import { confirmButton } from './confirm-button.js';
import { showFailure } from './submit.js';

/** The page a message is on, from its number in the conversation. */
const pageOfNumber = (number: number) => Math.max(1, Math.ceil(number / LIMITS.messagesPerPage));

/**
 * One private conversation, a page of its messages oldest first, and a reply form at the bottom.
 * Live: a message pushed to the member (`message:new`) for this conversation appears on the page
 * it belongs to, once (matched by id, so one's own just sent is not shown twice); one for a later
 * page is announced with a link. Opening it, and each message from others while the tab is in
 * view, marks the conversation read, so the Messages badge drops in every tab. The member's own
 * messages have Edit; an edit (`message:updated`) redraws its message in every open page, except
 * where that message's editor is open: there it is drawn once the editor closes (a save there
 * draws its own answer: the last save wins).
 */
export function conversationPage(ctx: WebContext, main: HTMLElement, conversationId: string, requestedPage: number | 'last'): Page {
  let alive = true;
  ctx.setPlace('Private messages', [{ label: 'Board index', href: paths.board() }, { label: 'Private messages', href: paths.messages() }, { label: 'Conversation' }]);
  if (!ctx.session) {
    const here = paths.conversation(conversationId, requestedPage);
    replaceChildren(main, h('h1', { class: 'page-title' }, 'Private messages'), h('p', { class: 'panel' }, h('a', { href: paths.login(here) }, 'Log in'), ' to read your private messages.'));
    return { dispose() {} };
  }
  const me = ctx.session.user.id;
  const store = ctx.messages;
  const reader = conversationReader(store, conversationId);
  const cleanups: Array<() => void> = [reader.dispose];

  const title = h('h1', { class: 'topic-title conversation-title' });
  const participants = h('p', { class: 'participants' });
  const topBar = h('div', { class: 'action-bar top' });
  const bottomBar = h('div', { class: 'action-bar bottom' });
  const newMessages = h('p', { class: 'new-posts new-messages', role: 'status', hidden: true });
  const list = h('section', { class: 'messages', 'aria-label': 'Messages' });
  const replyArea = h('div', { class: 'reply-area' });
  const leaveError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  // Leaving takes the conversation from the member's inbox (the others carry on); then the inbox.
  const leave = confirmButton({
    label: 'Leave conversation',
    armedLabel: 'Really leave?',
    className: 'button small danger leave-conversation',
    onConfirm: () => {
      leaveError.hidden = true;
      ctx.api.request('POST', `/conversations/${encodeURIComponent(conversationId)}/leave`, {}).then(
        () => alive && ctx.navigate(paths.messages()),
        (err: unknown) => alive && showFailure(leaveError, err, 'You did not leave the conversation'),
      );
    },
  });
  cleanups.push(leave.disarm);
  replaceChildren(main, loading());

  /** What is shown: the conversation as last heard of, and which page of it. */
  let conversation: Conversation;
  let page = 1;
  /** Messages pushed for later pages since the page was opened (the first one is linked to). */
  let later: PrivateMessage[] = [];
  /** Set once the page is drawn; until then, pushes wait. */
  let shown = false;
  const changes = heldChanges<MessageChange>((l) => store.subscribe(l), apply);
  cleanups.push(changes.stop);

  /** Edits heard while that message's editor was open here, the newest of each: drawn when it closes. */
  const heldEdits = new Map<string, PrivateMessage>();
  const editing: MessageEditing = {
    save: async (message, body) => {
      const saved = await store.edit(conversationId, message.id, body);
      if (alive) redraw(saved, true);
    },
    closed: (message) => {
      const held = heldEdits.get(message.id);
      if (held) redraw(held);
    },
    composeTools: (textarea) => composeTools(textarea, ctx.api).el,
    remove: async (message) => {
      const removed = await store.remove(conversationId, message.id);
      if (alive) redraw(removed, true);
    },
  };
  const draw = (message: PrivateMessage) => messageView(message, message.author.id === me ? editing : null);

  const articleOf = (messageId: string) => list.querySelector<HTMLElement>(`article[data-message-id="${CSS.escape(messageId)}"]`);

  function renderPlace(): void {
    replaceChildren(title, h('a', { href: paths.conversation(conversation.id) }, conversation.title));
    replaceChildren(participants, 'Between ', userList(conversation.participants));
    ctx.setPlace(conversation.title, [
      { label: 'Board index', href: paths.board() },
      { label: 'Private messages', href: paths.messages() },
      { label: conversation.title, href: paths.conversation(conversation.id) },
    ]);
  }

  function renderBars(): void {
    const pageCount = Math.max(page, pageOfNumber(conversation.messageCount));
    const pages = () => pagination(page, pageCount, (p) => paths.conversation(conversation.id, p), 'Conversation pages');
    replaceChildren(
      topBar,
      h('a', { href: '#reply', class: 'button primary', onclick: focusReply }, 'Reply'),
      h('p', { class: 'total', 'data-message-total': conversation.messageCount }, plural(conversation.messageCount, 'message')),
      pages(),
    );
    replaceChildren(bottomBar, h('a', { href: paths.messages(), class: 'return' }, 'Return to Private messages'), leave.el, leaveError, pages());
  }

  function renderLater(): void {
    newMessages.hidden = later.length === 0;
    const first = later[0];
    replaceChildren(
      newMessages,
      first ? h('a', { href: paths.conversation(conversationId, pageOfNumber(first.number), first.id) }, `${plural(later.length, 'new message')} since you opened this page`) : null,
    );
  }

  /** Reply goes to the form and puts the caret in it, ready to type. */
  function focusReply(event: Event): void {
    const textarea = replyArea.querySelector('textarea');
    if (!textarea) return;
    event.preventDefault();
    textarea.scrollIntoView({ block: 'center' });
    textarea.focus({ preventScroll: true });
  }

  /** Put a message where it belongs on this page (by number), unless it is there already. */
  function place(message: PrivateMessage): boolean {
    if (pageOfNumber(message.number) !== page || articleOf(message.id)) return false;
    const after = [...list.querySelectorAll<HTMLElement>('article[data-message-id]')].find((el) => Number(el.dataset.number) > message.number);
    list.insertBefore(draw(message), after ?? null);
    return true;
  }

  /** A message heard of (pushed, or the answer to one's own): on this page, or announced for a later one. */
  function arrived(message: PrivateMessage, next: Conversation | null): void {
    if (next) conversation = next;
    else if (message.number > conversation.messageCount) conversation = { ...conversation, messageCount: message.number };
    if (!place(message) && pageOfNumber(message.number) > page && message.author.id !== me && !later.some((m) => m.id === message.id)) {
      later.push(message);
      renderLater();
    }
    renderBars();
  }

  /**
   * Draw an edited message in place: never over a newer version (edits are counted), and not over
   * its open editor unless `force`d (its own save's answer); then it waits until the editor closes.
   */
  function redraw(message: PrivateMessage, force = false): void {
    const el = articleOf(message.id);
    if (!el) return;
    const held = heldEdits.get(message.id);
    const newest = held && (held.editCount ?? 0) > (message.editCount ?? 0) ? held : message;
    if (Number(el.dataset.editCount) >= (newest.editCount ?? 0)) return;
    if (!force && el.querySelector('form.edit-form')) {
      heldEdits.set(message.id, newest);
      return;
    }
    heldEdits.delete(message.id);
    el.replaceWith(draw(newest));
  }

  function apply(change: MessageChange): void {
    if (change.type === 'updated' && change.conversationId === conversationId) redraw(change.message);
    if (change.type !== 'new' || change.conversation.id !== conversationId) return;
    arrived(change.message, change.conversation);
    if (change.conversation.unread) reader.unread();
  }

  function show(data: ConversationMessagesPage): void {
    conversation = data.conversation;
    page = data.page;
    later = later.filter((m) => pageOfNumber(m.number) > page);
    renderPlace();
    renderBars();
    renderLater();
    heldEdits.clear();
    replaceChildren(list, data.messages.map(draw));
  }

  async function load(): Promise<ConversationMessagesPage> {
    return store.conversation(conversationId, shown ? page : requestedPage);
  }

  // Pushes made while the socket was away are lost: fetch the page again once it is back.
  cleanups.push(
    onReconnect(ctx.client, () => {
      if (!shown) return;
      load().then(
        (data) => {
          if (!alive) return;
          show(data);
          if (data.conversation.unread) reader.unread();
        },
        () => undefined,
      );
    }),
  );

  void (async () => {
    let data: ConversationMessagesPage;
    try {
      data = await load();
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
      return;
    }
    if (!alive) return;
    // The address says which page this is (`?page=last`, or past the end, becomes its number).
    if (data.page !== requestedPage) history.replaceState(null, '', paths.conversation(conversationId, data.page) + location.hash);

    const form = replyForm({
      draftKey: `message:${conversationId}`,
      api: ctx.api,
      heading: 'Reply',
      send: async (body) => {
        const { message } = await ctx.api.request<{ message: PrivateMessage }>('POST', `/conversations/${encodeURIComponent(conversationId)}/messages`, { body, clientId: newClientId() });
        if (!alive) return;
        arrived(message, null);
        const el = articleOf(message.id);
        if (el) el.scrollIntoView({ block: 'nearest' });
        else ctx.navigate(paths.conversation(conversationId, pageOfNumber(message.number), message.id));
      },
    });
    cleanups.push(form.dispose);
    replyArea.append(form.el);

    show(data);
    replaceChildren(main, title, participants, topBar, newMessages, list, bottomBar, replyArea);
    shown = true;
    changes.shown();
    if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
    // Opening it reads it: the whole conversation, as the server counts it.
    reader.unread();
  })();

  return {
    dispose() {
      alive = false;
      for (const c of cleanups) c();
    },
  };
}
