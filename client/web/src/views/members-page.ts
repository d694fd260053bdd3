import type { MembersPage } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { membersQueryString, type MemberFilter, type MembersRequest } from '../members-query.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { membersTable } from './members-table.js';
import { pagination } from './pagination.js';

/**
 * phpBB's "Members" and "The team": everyone's name, rank, posts, joined date, thanks and
 * location, sorted by a column heading, narrowed by the start of a name, paged. Everything the
 * list shows is in the address, so reload, back and a shared link show the same list.
 */
export function membersPage(ctx: WebContext, main: HTMLElement, request: MembersRequest): Page {
  let alive = true;
  const title = request.filter === 'team' ? 'The team' : 'Members';
  ctx.setPlace(title, [{ label: 'Board index', href: paths.board() }, { label: title }]);
  const results = h('div', { class: 'member-results' }, loading());
  replaceChildren(main, h('h1', { class: 'page-title' }, title), filterTabs(request), findForm(ctx, request), results);

  void (async () => {
    try {
      const found = await ctx.api.get<MembersPage>(`/members?${membersQueryString(request)}`);
      if (alive) show(found);
    } catch (err) {
      if (alive) replaceChildren(results, errorPanel(err));
    }
  })();

  function show(found: MembersPage): void {
    const pages = () => pagination(found.page, found.pageCount, (page) => paths.members({ ...request, page }), 'Member pages');
    replaceChildren(
      results,
      h('div', { class: 'action-bar top' }, h('p', { class: 'total', 'data-total': found.total }, plural(found.total, 'member')), pages()),
      membersTable(found.members, request),
      h('div', { class: 'action-bar bottom' }, h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'), pages()),
    );
  }

  return {
    dispose() {
      alive = false;
    },
  };
}

/** "Everyone" or "The team", keeping the sort and the name's start. */
function filterTabs(request: MembersRequest): HTMLElement {
  const tab = (filter: MemberFilter, label: string) =>
    h('li', null, h('a', { href: paths.members({ ...request, filter, page: 1 }), class: `tab ${filter}`, 'aria-current': filter === request.filter ? 'page' : false }, label));
  return h('nav', { class: 'member-tabs', 'aria-label': 'Everyone or the team' }, h('ul', null, tab('all', 'Everyone'), tab('team', 'The team')));
}

/** "Find a member": names starting with what is typed (blank shows everyone again). */
function findForm(ctx: Pick<WebContext, 'navigate'>, request: MembersRequest): HTMLFormElement {
  const input = h('input', { id: 'member-prefix', name: 'prefix', type: 'search', value: request.prefix ?? '', maxlength: LIMITS.usernameMax, placeholder: 'Start of a name', autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'search-box member-find', role: 'search', 'aria-label': 'Find a member', action: '/members' },
    h('label', { for: 'member-prefix' }, 'Find a member'),
    input,
    h('button', { type: 'submit', class: 'button small' }, 'Search'),
    request.prefix ? h('a', { href: paths.members({ ...request, prefix: undefined, page: 1 }), class: 'clear-prefix' }, 'Clear') : null,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(paths.members({ ...request, prefix: input.value.trim() || undefined, page: 1 }));
  });
  return form;
}
