import type { ShownPost } from '../live/topic-model.js';
import { h } from '../dom.js';

export type PostSelection = ReturnType<typeof postSelection>;

/**
 * phpBB's "Select" boxes on a topic's posts, for the moderators' split and move: one on each
 * reply (the opening post stays with its topic; merging moves all of it). What is ticked
 * outlives a post being drawn again; `listen` hears the count change.
 */
export function postSelection() {
  const chosen = new Set<string>();
  /** The box on each post's current drawing. */
  const boxes = new Map<string, HTMLInputElement>();
  const listeners: Array<(count: number) => void> = [];
  const changed = () => {
    for (const listener of listeners) listener(chosen.size);
  };
  /** A post that left the page (or was just moved) is no longer ticked. */
  const drop = (postId: string): void => {
    const box = boxes.get(postId);
    if (box) box.checked = false;
    boxes.delete(postId);
    if (chosen.delete(postId)) changed();
  };

  return {
    /** The box for a post's drawing; null on the opening post. */
    checkbox(post: ShownPost): HTMLElement | null {
      if (post.number === 1) return null;
      const box = h('input', { type: 'checkbox', class: 'select-post', 'aria-label': `Select post #${post.number}`, checked: chosen.has(post.id) });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(post.id);
        else chosen.delete(post.id);
        changed();
      });
      boxes.set(post.id, box);
      return h('label', { class: 'post-select', title: 'Select for Split or Move (Moderator tools)' }, box, ' Select');
    },
    /** The posts ticked, in the order they were ticked. */
    ids: (): string[] => [...chosen],
    drop,
    /** After the page was loaded again: only posts still on it stay ticked. */
    keepOnly(postIds: Iterable<string>): void {
      const kept = new Set(postIds);
      for (const id of [...chosen, ...boxes.keys()]) if (!kept.has(id)) drop(id);
    },
    listen(listener: (count: number) => void): void {
      listeners.push(listener);
    },
  };
}
