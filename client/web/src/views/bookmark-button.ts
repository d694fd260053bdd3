import type { ShownPost } from '../live/topic-model.js';
import { h } from '../dom.js';
import { showFailure } from './submit.js';

/** What a post asks the page about the member's bookmarks. */
export interface BookmarkActions {
  has(postId: string): boolean;
  /** Bookmark the post, or remove its bookmark; resolves to whether it is bookmarked now. */
  toggle(postId: string): Promise<boolean>;
}

/**
 * A post's "Bookmark" button (members): pressed, it says "Bookmarked" (aria-pressed) and a second
 * press removes the bookmark. Updated in place, so it keeps focus; a refusal shows in `error`.
 */
export function bookmarkButton(post: ShownPost, actions: BookmarkActions): { button: HTMLElement; error: HTMLElement } {
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'button', class: 'button small bookmark' });
  function render(on: boolean): void {
    button.textContent = on ? 'Bookmarked' : 'Bookmark';
    button.setAttribute('aria-pressed', String(on));
    button.title = on ? `Post #${post.number} is in your bookmarks; press to remove it` : `Add post #${post.number} to your bookmarks`;
    button.classList.toggle('active', on);
  }
  button.addEventListener('click', async () => {
    // aria-disabled, not disabled: a disabled button would lose keyboard focus.
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    error.hidden = true;
    const was = actions.has(post.id);
    try {
      render(await actions.toggle(post.id));
    } catch (err) {
      showFailure(error, err, was ? 'The bookmark was not removed' : 'The post was not bookmarked');
    } finally {
      button.removeAttribute('aria-disabled');
    }
  });
  render(actions.has(post.id));
  return { button, error };
}
