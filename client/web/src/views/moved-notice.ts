import type { MovedTo } from '../live/topic-model.js';
import { h, replaceChildren } from '../dom.js';
import { joinNames, plural } from '../format.js';
import { paths } from '../router.js';

/** Past this many, the posts moved to one topic are counted rather than listed. */
const LISTED_MAX = 5;

type Moves = { title: string; numbers: number[]; unnumbered: number };

/**
 * "Post #3 was moved to <topic>": the posts a moderator moved away while the page was open (a
 * split, a move or a merge), one line per topic they went to, linked. A post this page did not
 * show (another page of the topic) is counted without its number.
 */
export function movedNotice() {
  const el = h('div', { class: 'moved-notice', role: 'status', hidden: true });
  const byTopic = new Map<string, Moves>();

  function render(): void {
    replaceChildren(
      el,
      [...byTopic].map(([topicId, moves]) => h('p', { class: 'notice moved' }, wording(moves), h('a', { href: paths.topic(topicId) }, moves.title), '.')),
    );
    el.hidden = byTopic.size === 0;
  }

  return {
    el,
    /** One post left for `to`; `number` is its number here, when the page showed it. */
    add(number: number | null, to: MovedTo): void {
      const moves = byTopic.get(to.topicId) ?? { title: to.title, numbers: [], unnumbered: 0 };
      moves.title = to.title;
      if (number === null) moves.unnumbered += 1;
      else if (!moves.numbers.includes(number)) moves.numbers.push(number);
      byTopic.set(to.topicId, moves);
      render();
    },
    /** A topic's title as the moved posts named it, if any went there. */
    titleOf: (topicId: string): string | undefined => byTopic.get(topicId)?.title,
  };
}

/** "Post #3 was moved to ", "Posts #2 and #3 were moved to ", "7 posts were moved to ". */
function wording({ numbers, unnumbered }: Moves): string {
  const total = numbers.length + unnumbered;
  if (unnumbered > 0 || total > LISTED_MAX) return `${plural(total, 'post')} ${total === 1 ? 'was' : 'were'} moved to `;
  const listed = [...numbers].sort((a, b) => a - b).map((n) => `#${n}`);
  return total === 1 ? `Post ${listed[0]} was moved to ` : `Posts ${joinNames(listed)} were moved to `;
}
