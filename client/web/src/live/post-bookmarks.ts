import type { Bookmark } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import type { BookmarkActions } from '../views/bookmark-button.js';

/**
 * The topic page's side of bookmarks (phpBB's "Bookmark topic", per post as Discourse has it):
 * which posts shown the member has bookmarked, as the page answer said, and the requests that
 * change that. Kept by the page, not the post, so a post redrawn (an edit) keeps its state;
 * a post that arrives live is not bookmarked.
 */
export function postBookmarks(api: Api): BookmarkActions & { loaded(ids: string[] | undefined): void } {
  const marked = new Set<string>();
  const path = (postId: string) => `/posts/${encodeURIComponent(postId)}/bookmark`;
  return {
    /** The page answer's `bookmarked` (a first load, or a reload after missed events). */
    loaded(ids) {
      marked.clear();
      for (const id of ids ?? []) marked.add(id);
    },
    has: (postId) => marked.has(postId),
    async toggle(postId) {
      if (marked.has(postId)) {
        await api.request<{ postId: string; bookmarked: false }>('DELETE', path(postId));
        marked.delete(postId);
      } else {
        await api.request<{ bookmark: Bookmark }>('PUT', path(postId), {});
        marked.add(postId);
      }
      return marked.has(postId);
    },
  };
}
