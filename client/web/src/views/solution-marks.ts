import type { Topic } from '../../../sdk/index.js';
import type { ShownPost } from '../live/topic-model.js';
import { h, replaceChildren } from '../dom.js';
import { showFailure } from './submit.js';

export type Solution = NonNullable<Topic['solution']>;

/** What the topic page tells a post about the topic's solution (Discourse's "Solved"). */
export interface SolutionActions {
  /** The topic's solution as it stands now, if a reply was chosen. */
  current(): Solution | undefined;
  /** Whether this reader may choose (or clear) the solution now. */
  mayChoose(): boolean;
  /** Where the "Solved" box links: the chosen post, on whichever page holds it. */
  href(solution: Solution): string;
  mark(post: ShownPost): Promise<void>;
  unmark(): Promise<void>;
}

export interface SolutionMarks {
  /** "✓ Solution" on the chosen post. */
  badge: HTMLElement | null;
  /** Mark as solution / Unmark solution, for those who may choose. */
  button: HTMLElement | null;
  error: HTMLElement | null;
  /** Under the opening post: "Solved: see the answer by <name>". */
  box: HTMLElement | null;
  /** Show the solution as it stands now, in place (a focused button keeps focus). */
  update(): void;
}

/** A post's part in the topic's solution: a reply can be it (and be chosen); the opening post says where it is. */
export function solutionMarks(post: ShownPost, article: HTMLElement, actions: SolutionActions): SolutionMarks {
  if (post.number === 1) return openingPostMarks(actions);
  const badge = h('span', { class: 'badge solution', title: 'Chosen as the answer to this topic' }, '✓ Solution');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', {
    type: 'button',
    class: 'button small mark-solution',
    onclick: async () => {
      // aria-disabled, not disabled: a disabled button would lose keyboard focus.
      if (button.getAttribute('aria-disabled') === 'true') return;
      button.setAttribute('aria-disabled', 'true');
      error.hidden = true;
      const chosen = isChosen();
      try {
        await (chosen ? actions.unmark() : actions.mark(post));
      } catch (err) {
        showFailure(error, err, chosen ? 'The solution was not cleared' : 'The post was not marked as the solution');
      } finally {
        button.removeAttribute('aria-disabled');
      }
    },
  });
  const isChosen = () => actions.current()?.postId === post.id;
  function update(): void {
    const chosen = isChosen();
    badge.hidden = !chosen;
    article.classList.toggle('solution', chosen);
    button.hidden = !actions.mayChoose();
    button.textContent = chosen ? 'Unmark solution' : 'Mark as solution';
  }
  update();
  return { badge, button, error, box: null, update };
}

function openingPostMarks(actions: SolutionActions): SolutionMarks {
  const box = h('aside', { class: 'solved-box', 'aria-label': 'Solution' });
  function update(): void {
    const solution = actions.current();
    box.hidden = !solution;
    replaceChildren(box, solution ? ['✓ Solved: ', h('a', { href: actions.href(solution), class: 'solved-link' }, `see the answer by ${solution.authorName}`)] : null);
  }
  update();
  return { badge: null, button: null, error: null, box, update };
}
