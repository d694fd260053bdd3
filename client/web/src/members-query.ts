// The member list's query: read from the page's address, and written back as the same query
// string for both the address (/members?…) and the API (GET /members?…), defaults left out.
import { LIMITS } from '../../../shared/limits.js';
import type { MembersQuery } from '../../../shared/schemas.js';

export type MemberSort = MembersQuery['sort'];
export type MemberOrder = NonNullable<MembersQuery['order']>;
export type MemberFilter = MembersQuery['filter'];

export interface MembersRequest {
  sort: MemberSort;
  /** Left out: the sort's natural direction (see NATURAL_ORDER). */
  order?: MemberOrder;
  filter: MemberFilter;
  /** Names starting with this (any case). */
  prefix?: string;
  page: number;
}

/** Each sort's direction when no `order` is given, as the server sorts: names A to Z, most posts and thanks first, earliest joined first. */
export const NATURAL_ORDER: Record<MemberSort, MemberOrder> = { name: 'asc', posts: 'desc', joined: 'asc', thanks: 'desc' };

const SORTS = Object.keys(NATURAL_ORDER) as MemberSort[];
const isSort = (v: string | null): v is MemberSort => SORTS.includes(v as MemberSort);

/** The list as the address asks for it; anything the server would refuse falls back to its default (the page number is the router's). */
export function membersRequestOf(params: URLSearchParams, page: number): MembersRequest {
  const sort = params.get('sort');
  const order = params.get('order');
  const prefix = params.get('prefix')?.trim().slice(0, LIMITS.usernameMax);
  return {
    sort: isSort(sort) ? sort : 'name',
    ...((order === 'asc' || order === 'desc') && { order }),
    filter: params.get('filter') === 'team' ? 'team' : 'all',
    ...(prefix && { prefix }),
    page,
  };
}

/** The direction the list is in: the one asked for, or the sort's natural one. */
export const orderOf = (req: Pick<MembersRequest, 'sort' | 'order'>): MemberOrder => req.order ?? NATURAL_ORDER[req.sort];

/** The query string for these params, defaults (and an order that is the sort's natural one) left out. */
export function membersQueryString(req: Partial<MembersRequest>): string {
  const query = new URLSearchParams();
  const sort = req.sort ?? 'name';
  if (sort !== 'name') query.set('sort', sort);
  if (req.order && req.order !== NATURAL_ORDER[sort]) query.set('order', req.order);
  if (req.filter === 'team') query.set('filter', 'team');
  if (req.prefix) query.set('prefix', req.prefix);
  if (req.page && req.page > 1) query.set('page', String(req.page));
  return query.toString();
}

/** Where a click on a column heading goes: the current sort turns round; another starts in its natural direction. Either way, page 1. */
export function sortedBy(req: MembersRequest, sort: MemberSort): MembersRequest {
  const order: MemberOrder = sort === req.sort ? (orderOf(req) === 'asc' ? 'desc' : 'asc') : NATURAL_ORDER[sort];
  return { ...req, sort, order, page: 1 };
}
