import type { IgnoreList } from '../live/ignore-list.js';
import type { ShownPost } from '../live/topic-model.js';

/** What the folds need of the topic page: its posts as they are now, and their articles. */
export interface FoldablePage {
  posts(): Iterable<ShownPost>;
  post(postId: string): ShownPost | undefined;
  articleOf(postId: string): HTMLElement | null;
  /** Draw a post again (folded or not, as `folded` now says). */
  redraw(el: HTMLElement, post: ShownPost): void;
}

/**
 * Which posts of a topic page are folded away: those by members on the reader's ignore list,
 * until "Show this post" unfolds one (for this page view). When the list changes (here or in
 * another tab) the page folds and unfolds to match; someone ignored again is folded again.
 */
export function postFolds(ignoreList: IgnoreList, page: FoldablePage) {
  const unfolded = new Set<string>();
  const folded = (post: ShownPost) => !unfolded.has(post.id) && ignoreList.folds(post.author);

  const stop = ignoreList.subscribe(() => {
    for (const post of page.posts()) {
      if (!ignoreList.folds(post.author)) unfolded.delete(post.id);
      const el = page.articleOf(post.id);
      if (el && el.classList.contains('folded') !== folded(post)) page.redraw(el, post);
    }
  });

  function unfold(post: ShownPost): void {
    unfolded.add(post.id);
    const el = page.articleOf(post.id);
    const current = page.post(post.id);
    if (!el || !current) return;
    page.redraw(el, current);
    // The button is gone: reading goes on from the post's own heading.
    page.articleOf(post.id)?.querySelector<HTMLElement>('.subject a')?.focus({ preventScroll: true });
  }

  return { folded, unfold, dispose: stop };
}
