import type { BookmarksPage } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import { append, h, replaceChildren } from '../dom.js';
import { formatDateTime, plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { pagination } from './pagination.js';
import { hitView } from './search-hit.js';
import { showFailure } from './submit.js';
import { bookmarkNote } from './bookmark-note.js';

type Bookmarked = BookmarksPage['bookmarks'][number];

/**
 * The member's bookmarks (phpBB's "Manage bookmarks"), newest first: each post as a search hit
 * (subject linked to the post, author, date, forum, topic, excerpt), with its note (edited in
 * place) and when it was bookmarked, and Remove, which takes it off the list at once.
 */
export function bookmarksPage(ctx: WebContext, main: HTMLElement, page: number): Page {
  let alive = true;
  ctx.setPlace('Bookmarks', [{ label: 'Board index', href: paths.board() }, { label: 'Bookmarks' }]);
  if (!ctx.session) {
    replaceChildren(main, h('h1', { class: 'page-title' }, 'Bookmarks'), h('p', { class: 'panel' }, h('a', { href: paths.login(paths.bookmarks(page)) }, 'Log in'), ' to see your bookmarks.'));
    return { dispose() {} };
  }
  replaceChildren(main, loading());

  void (async () => {
    try {
      const data = await ctx.api.get<BookmarksPage>(`/bookmarks?page=${page}`);
      if (alive) render(data);
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  })();

  function render(data: BookmarksPage): void {
    let total = data.total;
    const pages = () => pagination(data.page, data.pageCount, (p) => paths.bookmarks(p), 'Bookmark pages');
    const totalEl = h('p', { class: 'total' });
    const list = h('ol', { class: 'hits bookmarks' });
    // A page may be short, or empty, where posts the member may no longer read were left out.
    const empty = h('p', { class: 'panel no-bookmarks', hidden: data.bookmarks.length > 0 }, total ? 'No bookmarks on this page.' : 'You have no bookmarks yet.');
    const showTotal = () => {
      totalEl.dataset.total = String(total);
      totalEl.textContent = plural(total, 'bookmark');
    };

    function removed(row: HTMLElement): void {
      total -= 1;
      showTotal();
      const next = (row.nextElementSibling ?? row.previousElementSibling)?.querySelector<HTMLElement>('button.remove-bookmark');
      row.remove();
      if (next) return next.focus();
      if (total > 0) {
        // The page is empty but others are not: show the one that now holds the nearest bookmarks.
        ctx.navigate(paths.bookmarks(Math.min(data.page, Math.ceil(total / LIMITS.bookmarksPerPage))), { replace: true });
        return;
      }
      empty.textContent = 'You have no bookmarks yet.';
      empty.hidden = false;
      main.focus({ preventScroll: true });
    }

    replaceChildren(list, data.bookmarks.map((b) => row(b, removed)));
    showTotal();
    replaceChildren(
      main,
      h('h1', { class: 'page-title' }, 'Bookmarks'),
      h('div', { class: 'action-bar' }, totalEl, pages()),
      list,
      empty,
      h('div', { class: 'action-bar' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages()),
    );
  }

  /** One bookmark: the post as a search hit, its note, when, and Remove. */
  function row(b: Bookmarked, removed: (row: HTMLElement) => void): HTMLElement {
    const el = hitView(b);
    el.classList.add('bookmark');
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const remove = h('button', { type: 'button', class: 'button small remove-bookmark', title: `Remove “${b.post.subject}” from your bookmarks` }, 'Remove');
    remove.addEventListener('click', async () => {
      if (remove.getAttribute('aria-disabled') === 'true') return;
      remove.setAttribute('aria-disabled', 'true');
      error.hidden = true;
      try {
        await ctx.api.request<{ postId: string; bookmarked: false }>('DELETE', `/posts/${encodeURIComponent(b.post.id)}/bookmark`);
        if (alive) removed(el);
      } catch (err) {
        showFailure(error, err, 'The bookmark was not removed');
      } finally {
        remove.removeAttribute('aria-disabled');
      }
    });
    append(el, [
      bookmarkNote(ctx.api, b.post.id, b.post.subject, b.note),
      h('p', { class: 'bookmark-meta' }, 'Bookmarked ', h('time', { datetime: b.bookmarkedAt }, formatDateTime(b.bookmarkedAt)), ' ', remove),
      error,
    ]);
    return el;
  }

  return {
    dispose() {
      alive = false;
    },
  };
}
