import { searchQueryString, type SearchParams, type SearchResult, type UserCard } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { errorPanel, loading, userLink } from './common.js';
import { pagination } from './pagination.js';
import { hitView } from './search-hit.js';

export interface SearchRequest {
  q: string;
  authorId?: string;
  forumId?: string;
  /** Only this topic's posts ("Search this topic"). */
  topicId?: string;
  page: number;
}

/**
 * Search results, phpBB-style: "Search found N matches", each post with its subject (linked to
 * the post in its topic), author, date, forum and topic, and a plain-text excerpt. Words, an
 * author's posts ("Search user's posts"), or both; optionally within one forum.
 */
export function searchPage(ctx: WebContext, main: HTMLElement, request: SearchRequest): Page {
  let alive = true;
  const q = request.q.trim();
  ctx.setPlace('Search', [{ label: 'Board index', href: paths.board() }, { label: 'Search' }]);
  const form = searchForm(ctx, q);
  const results = h('div', { class: 'search-results' });
  replaceChildren(main, h('h1', { class: 'page-title' }, 'Search'), form, results);
  if (!q && !request.authorId) {
    form.querySelector('input')?.focus();
    return { dispose() {} };
  }
  replaceChildren(results, loading());

  void (async () => {
    try {
      const { authorId, forumId, topicId, page } = request;
      const params: SearchParams = q ? { q, authorId, forumId, topicId, page } : { authorId: authorId!, forumId, topicId, page };
      const [found, author] = await Promise.all([
        ctx.api.get<SearchResult>(`/search?${searchQueryString(params)}`),
        request.authorId ? ctx.api.get<{ user: UserCard }>(`/users/${encodeURIComponent(request.authorId)}`).then((r) => r.user, () => null) : null,
      ]);
      if (alive) show(found, author);
    } catch (err) {
      if (alive) replaceChildren(results, errorPanel(err));
    }
  })();

  function show(found: SearchResult, author: UserCard | null): void {
    const what = [q ? `“${q}”` : '', author ? `posts by ${author.username}` : ''].filter(Boolean).join(' in ');
    ctx.setPlace(`Search: ${what}`, [{ label: 'Board index', href: paths.board() }, { label: 'Search' }]);
    const pages = () => pagination(found.page, found.pageCount, (page) => paths.search({ ...request, q, page }), 'Result pages');
    replaceChildren(
      results,
      h(
        'div',
        { class: 'action-bar' },
        h('p', { class: 'total', 'data-total': found.total }, found.capped ? `Search found more than ${plural(found.total, 'match', 'matches')}` : `Search found ${plural(found.total, 'match', 'matches')}`),
        pages(),
      ),
      h(
        'h2',
        { class: 'search-what' },
        author ? ['Posts by ', userLink(author)] : null,
        q ? [author ? ' containing ' : 'Posts containing ', `“${q}”`] : null,
        // The topic's title comes with each hit; with none, the link still leads back.
        request.topicId ? [' in ', h('a', { href: paths.topic(request.topicId) }, found.hits[0]?.topic.title ? `“${found.hits[0].topic.title}”` : 'this topic')] : null,
      ),
      found.hits.length ? h('ol', { class: 'hits' }, found.hits.map(hitView)) : h('p', { class: 'panel' }, 'No suitable matches were found.'),
      found.hits.length ? h('div', { class: 'action-bar' }, pages()) : null,
    );
  }

  return {
    dispose() {
      alive = false;
    },
  };
}

/** The search box, at the top of the results and in the header; with `topicId`, phpBB's "Search this topic…" on a topic page. */
export function searchForm(ctx: Pick<WebContext, 'navigate'>, value = '', id = 'search-q', topicId?: string): HTMLFormElement {
  const label = topicId ? 'Search this topic for' : 'Search for';
  const input = h('input', { id, name: 'q', type: 'search', value, maxlength: LIMITS.searchQueryMax, placeholder: topicId ? 'Search this topic…' : 'Search…', 'aria-label': label });
  const form = h('form', { class: topicId ? 'search-box topic-search' : 'search-box', role: 'search', action: '/search', 'aria-label': topicId ? 'Search this topic' : 'Search' }, input, h('button', { type: 'submit', class: 'button small' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(paths.search({ q: input.value.trim(), ...(topicId && { topicId }) }));
  });
  return form;
}
