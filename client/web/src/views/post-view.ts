import type { PostRevisions } from '../../../sdk/index.js';
import type { ShownPost } from '../live/topic-model.js';
import { h, trustedHtml } from '../dom.js';
import { userLink } from './common.js';
import { formatDateTime, joinNames, plural } from '../format.js';
import { profileCard } from './profile-card.js';
import { postControls, type PostChanges } from './post-controls.js';
import { carryEditor } from './post-editor.js';
import { carryReport, reportControl } from './report-form.js';
import { carryWarn, warnControl } from './warn-post.js';
import type { Warned } from './warn-form.js';
import { showFailure } from './submit.js';
import { foldedPost } from './folded-post.js';
import { solutionMarks, type SolutionActions, type SolutionMarks } from './solution-marks.js';
import { carryEditHistory, editHistory } from './edit-history.js';
import { bookmarkButton, type BookmarkActions } from './bookmark-button.js';

export interface PostActions {
  /** The logged-in user's id, if any. */
  me: string | null;
  /** Thank or take back; resolves when the server answered. */
  toggleThanks(post: ShownPost): Promise<void>;
  /** A user's name, if the page knows it (undefined starts a look-up that re-renders later). */
  nameOf(userId: string): string | undefined;
  /** Quote the post in the reply form (absent when the reader cannot reply). */
  quote?(post: ShownPost): void;
  /** Edit and delete, for the posts this reader may change (their own; any, for moderators). */
  changes?: PostChanges & { allowed(post: ShownPost): boolean };
  /** Whether the post is new to the member: unread when the page loaded, or come since (not their own). */
  isNew?(post: ShownPost): boolean;
  /** Report the post to the moderators, with why (members; never on their own posts). */
  report?(post: ShownPost, reason: string): Promise<void>;
  /** Moderators: warn the post's author for it, with why (offered on members' posts only: staff and bots cannot be warned). */
  warn?(post: ShownPost, reason: string): Promise<Warned>;
  /** Whether the post is folded away (its author is on the reader's ignore list, and it was not shown). */
  folded?(post: ShownPost): boolean;
  /** "Show this post": unfold a folded post. */
  unfold?(post: ShownPost): void;
  /** The topic's solution: the badge on the chosen reply, the box under the opening post, and Mark as solution. */
  solution?: SolutionActions;
  /** Every version of an edited post, for its edit history (absent: "edited N times" stays plain text). */
  revisions?(post: ShownPost): Promise<PostRevisions>;
  /** The member's bookmarks: Bookmark / Bookmarked on each post (absent for guests). */
  bookmarks?: BookmarkActions;
  /** Moderators: the "Select" box on a reply, for splitting or moving it (null where there is none). */
  select?(post: ShownPost): HTMLElement | null;
}

/** One post, phpBB-style: author card, subject, time, body, signature, thanks (or, folded, who wrote it). */
export function postView(post: ShownPost, actions: PostActions): HTMLElement {
  if (actions.folded?.(post)) return foldedPost(post, () => actions.unfold?.(post));
  const el = h('article', { class: 'post', id: `p${post.id}`, 'data-post-id': post.id, 'aria-labelledby': `p${post.id}-subject` });
  const report = actions.report && actions.me !== null && actions.me !== post.author.id ? reportControl(post, actions.report) : null;
  const warn = actions.warn && post.author.role === 'member' ? warnControl(post, actions.warn) : null;
  const solution = actions.solution ? solutionMarks(post, el, actions.solution) : null;
  if (solution) (el as SolutionAware).updateSolution = solution.update;
  el.append(
    profileCard(post.author),
    h('div', { class: 'postbody' }, bodyParts(post, actions, [report?.button ?? null, warn?.button ?? null], solution), thanksBar(post, actions), report?.area ?? null, warn?.area ?? null),
  );
  return el;
}

type SolutionAware = HTMLElement & { updateSolution?(): void };

/** `flags`: the head's Report and Warn buttons, where the reader has them. */
function bodyParts(post: ShownPost, actions: PostActions, flags: Array<HTMLElement | null>, solution: SolutionMarks | null): Array<HTMLElement | null> {
  const content = h('div', { class: 'content' });
  trustedHtml(content, post.bodyHtml);
  const signature = post.author.signatureHtml ? h('div', { class: 'signature' }) : null;
  if (signature) trustedHtml(signature, post.author.signatureHtml ?? '');
  const quote = actions.quote
    ? h('button', { type: 'button', class: 'button small quote', 'aria-label': `Quote ${post.author.username}`, onclick: () => actions.quote?.(post) }, 'Quote')
    : null;
  const controls = actions.changes?.allowed(post) ? postControls(post, content, actions.changes) : null;
  const history = post.editCount && actions.revisions ? editHistory(post, actions.revisions) : null;
  const bookmark = actions.bookmarks ? bookmarkButton(post, actions.bookmarks) : null;
  const head = h(
    'header',
    { class: 'post-head' },
    actions.select?.(post) ?? null,
    quote,
    flags,
    controls?.buttons ?? null,
    solution?.button ?? null,
    bookmark?.button ?? null,
    h('h3', { id: `p${post.id}-subject`, class: 'subject' }, h('a', { href: `#p${post.id}` }, post.subject)),
    h('p', { class: 'author' },
      'by ', h('strong', null, userLink(post.author)), ' » ',
      h('time', { datetime: post.createdAt }, formatDateTime(post.createdAt)),
      h('span', { class: 'post-number' }, `#${post.number}`),
      actions.isNew?.(post) ? h('span', { class: 'badge new post-new', title: 'New since your last visit' }, 'New') : null,
      solution?.badge ?? null,
    ),
  );
  return [head, content, controls?.error ?? null, solution?.error ?? null, bookmark?.error ?? null, editedNote(post, history?.toggle ?? null), history?.panel ?? null, solution?.box ?? null, signature];
}

/**
 * phpBB's "Last edited by moderator on …, edited 2 times in total. Reason: …" (older posts lack
 * who and how often); "edited 2 times in total" is then the button that opens the edit history.
 */
function editedNote(post: ShownPost, historyToggle: HTMLElement | null): HTMLElement | null {
  if (!post.editedAt) return null;
  return h(
    'p',
    { class: 'notice edited' },
    'Last edited',
    post.editedBy ? [' by ', userLink(post.editedBy)] : null,
    ' on ',
    h('time', { datetime: post.editedAt }, formatDateTime(post.editedAt)),
    post.editCount ? [', ', historyToggle ?? `edited ${plural(post.editCount, 'time')} in total`, '.'] : null,
    post.editReason ? [' ', h('span', { class: 'edit-reason' }, 'Reason: ', post.editReason)] : null,
  );
}

function thanksBar(post: ShownPost, actions: PostActions): HTMLElement {
  let current = post;
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', {
    type: 'button',
    class: 'button thank',
    onclick: async () => {
      // aria-disabled, not disabled: a disabled button would lose keyboard focus.
      if (button.getAttribute('aria-disabled') === 'true') return;
      button.setAttribute('aria-disabled', 'true');
      error.hidden = true;
      try {
        await actions.toggleThanks(current);
      } catch (err) {
        showFailure(error, err, 'Could not send your thanks');
      } finally {
        button.removeAttribute('aria-disabled');
      }
    },
  });
  const count = h('p', { class: 'thanks-count' });
  const list = h('p', { class: 'thanked-by' });
  const bar = h('footer', { class: 'thanks-bar' }, button, count, list, error);
  // The bar is updated in place (not rebuilt), so a focused Thank button keeps focus.
  (bar as ThanksBar).update = (post: ShownPost) => {
    current = post;
    const ids = post.thankedBy ?? [];
    const mine = actions.me !== null && ids.includes(actions.me);
    button.hidden = actions.me === null || actions.me === post.author.id;
    button.textContent = mine ? 'Remove thanks' : 'Thank';
    button.setAttribute('aria-pressed', String(mine));
    button.classList.toggle('active', mine);
    count.dataset.thanksCount = String(post.thanksCount);
    count.textContent = `Thanks: ${post.thanksCount}`;
    const names = ids.map((id, i) => actions.nameOf(id) ?? post.thankedByNames?.[i] ?? '…');
    list.hidden = ids.length === 0;
    list.textContent = ids.length ? `${joinNames(names)} thanked ${post.author.username} for this post` : '';
  };
  (bar as ThanksBar).update(post);
  return bar;
}

type ThanksBar = HTMLElement & { update(post: ShownPost): void };

/** Redraw a post after an edit (a report or warning being written, an open edit history and an open editor stay). */
export function replacePost(el: HTMLElement, post: ShownPost, actions: PostActions): void {
  const next = postView(post, actions);
  const focused = document.activeElement;
  carryReport(el, next);
  carryWarn(el, next);
  carryEditHistory(el, next, post);
  carryEditor(el, next, post);
  el.replaceWith(next);
  // A report or warning being written, an open history's button, or the editor, moved across: its focus with it.
  if (focused instanceof HTMLElement && next.contains(focused)) focused.focus({ preventScroll: true });
}

/** Show the topic's solution as it now stands on a post (its badge, its button, the opening post's box). */
export function updateSolution(el: HTMLElement): void {
  (el as SolutionAware).updateSolution?.();
}

/** Redraw a post's thanks after a change. */
export function updateThanks(el: HTMLElement, post: ShownPost): void {
  (el.querySelector('.thanks-bar') as ThanksBar | null)?.update(post);
}
