import type { Forum, QueuedPost, QueuePage } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import type { QueueChange } from '../live/queue-store.js';
import { onReconnect } from '../live/on-reconnect.js';
import { heldChanges } from '../live/held-changes.js';
import { byData, h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { pagination } from './pagination.js';
import { queuedPostItem } from './queued-post.js';

/** Pages the queue has at this size (the server's count; at least one, as the server answers). */
const pagesFor = (count: number) => Math.max(1, Math.ceil(count / LIMITS.queuePerPage));

/**
 * phpBB's MCP "Posts awaiting approval", for moderators: new members' held replies and topics,
 * oldest first, each with where it goes, whose it is, and the post as it would show; Approve or
 * Reject (with an optional reason). Live: a post held meanwhile joins the end of the last page,
 * and one approved or rejected here, in another tab or by another moderator leaves the list.
 * A guest is asked to log in; a member gets the server's refusal.
 */
export function queuePage(ctx: WebContext, main: HTMLElement, page: number): Page {
  let alive = true;
  const title = 'Posts awaiting approval';
  ctx.setPlace(title, [{ label: 'Board index', href: paths.board() }, { label: 'Moderation log', href: paths.modlog() }, { label: title }]);
  if (!ctx.session) {
    replaceChildren(main, h('h1', { class: 'page-title' }, title), h('p', { class: 'panel' }, h('a', { href: paths.login(paths.queue(page)) }, 'Log in'), ' to see posts awaiting approval.'));
    return { dispose() {} };
  }
  replaceChildren(main, loading());
  const store = ctx.queue;
  const list = h('ol', { class: 'queue' });
  const empty = h('p', { class: 'panel no-queued', hidden: true }, 'No posts are awaiting approval.');
  const summary = h('p', { class: 'queue-summary', role: 'status', 'data-count': '0' });
  /** After a rejection whose author was to be told and could not be (gone, or not taking messages from this moderator). */
  const untold = h('p', { class: 'notice reject-untold', role: 'status', hidden: true });
  const topBar = h('div', { class: 'action-bar top' });
  const bottomBar = h('div', { class: 'action-bar bottom' });
  /** Forum titles by id, for "In <forum>" (fetched once; a forum made since shows as "a forum"). */
  let forums: Promise<Map<string, string>> | null = null;
  let forumTitles = new Map<string, string>();
  /** The page shown and how many pages there were, once the list is there; until then, pushes wait. */
  let shown: number | null = null;
  let pageCount = 1;
  /** Posts seen leaving the queue: a fetch sent before one left may still list it, and must not bring it back. */
  const gone = new Set<string>();
  const changes = heldChanges<QueueChange>((l) => store.subscribe(l), apply);
  // Pushes made while the socket was away are lost: fetch the page again once it is back.
  const stopReconnect = onReconnect(ctx.client, () => void load());

  async function load(): Promise<void> {
    forums ??= ctx.api
      .get<{ forums: Forum[] }>('/forums')
      .then(({ forums: all }) => new Map(all.map((f) => [f.id, f.title])))
      .catch(() => new Map<string, string>());
    try {
      const [data, titles] = await Promise.all([store.page(shown ?? page), forums]);
      forumTitles = titles;
      if (alive) render(data);
    } catch (err) {
      if (alive && shown === null) replaceChildren(main, errorPanel(err));
    }
  }

  /** The list and its bars; the heading around them is drawn once. */
  function render(data: QueuePage): void {
    replaceChildren(list, data.posts.filter((p) => !gone.has(p.id)).map(item));
    if (shown === null) replaceChildren(main, h('h1', { class: 'page-title' }, title), summary, untold, topBar, list, empty, bottomBar);
    shown = data.page;
    pageCount = data.pageCount;
    drawBars();
    showState();
    changes.shown();
  }

  function drawBars(): void {
    const pages = () => pagination(shown ?? 1, pageCount, (p) => paths.queue(p), 'Queue pages');
    replaceChildren(
      topBar,
      h('a', { href: paths.reports(), class: 'button small reports-page-link' }, 'Reported posts'),
      ' ',
      h('a', { href: paths.modlog(), class: 'button small modlog-link' }, 'Moderation log'),
      pages(),
    );
    replaceChildren(bottomBar, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages());
  }

  /** The queue's size, and the empty note. */
  function showState(): void {
    const count = store.count ?? 0;
    summary.textContent = count ? `${plural(count, 'post')} awaiting approval` : 'The queue is empty';
    summary.dataset.count = String(count);
    empty.hidden = list.children.length > 0;
  }

  function apply(change: QueueChange): void {
    if (change.type === 'added') {
      gone.delete(change.post.id); // held again (a retry with the same clientId has the same id)
      add(change.post);
    } else if (change.type === 'removed') {
      gone.add(change.id);
      for (const el of byData(list, 'queued-id', change.id)) el.remove();
      // The last one here went, but others wait on later pages: show the page that now holds them.
      if (list.children.length === 0 && (store.count ?? 0) > 0) void load();
    }
    // Every push carries the queue's size: the page links follow it.
    const pages = pagesFor(store.count ?? 0);
    if (pages !== pageCount) {
      pageCount = pages;
      drawBars();
    }
    showState();
  }

  /** A post just held is the newest: it belongs at the end of the last page, if that is the page shown and there is room. */
  function add(post: QueuedPost): void {
    if (byData(list, 'queued-id', post.id).length) return; // the fetch already had it
    if (shown !== pageCount || list.children.length >= LIMITS.queuePerPage) return;
    list.append(item(post));
  }

  function item(post: QueuedPost): HTMLElement {
    return queuedPostItem(post, forumTitles.get(post.forumId), {
      approve: (id) => store.approve(id),
      async reject(id, reason, tell) {
        const answer = await store.reject(id, reason, tell);
        untold.hidden = !tell || answer.told;
        untold.textContent = untold.hidden ? '' : `The post was rejected, but ${post.author.username} could not be sent a private message about it.`;
      },
    });
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
