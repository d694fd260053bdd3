import type { Forum } from '../../../sdk/index.js';
import type { Crumb } from '../context.js';
import { paths } from '../router.js';
import { forumTree } from './forum-tree.js';

/**
 * The breadcrumbs down to a forum, as phpBB draws them: Board index, each forum it sits in (those
 * the reader may read, from `GET /forums`' list `forums`), then the forum itself; without a
 * forum, Board index alone.
 */
export function forumCrumbs(forums: Forum[], forum: { id: string; title: string } | undefined): Crumb[] {
  const board: Crumb = { label: 'Board index', href: paths.board() };
  if (!forum) return [board];
  const around = forumTree(forums).trail(forum.id).slice(0, -1);
  return [board, ...[...around, forum].map((f) => ({ label: f.title, href: paths.forum(f.id) }))];
}
