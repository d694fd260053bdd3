import type { ShownPost } from '../live/topic-model.js';
import { h, replaceChildren } from '../dom.js';
import { warnedNote, warnForm, type Warned } from './warn-form.js';
import { carryParts, postHeadForm } from './post-head-form.js';

/**
 * phpBB's "Warn post", for moderators: a Warn button for the post's head, and the small form it
 * opens under the post (the reason, Warn, Cancel; never a dialog). Once the warning is in, the
 * form gives way to "Warning sent."; a refusal shows in the form.
 */
export function warnControl(post: ShownPost, send: (post: ShownPost, reason: string) => Promise<Warned>): { button: HTMLElement; area: HTMLElement } {
  const area = h('div', { class: 'warn-area' });
  const label = `Warn ${post.author.username} for post #${post.number}`;
  const button = h('button', { type: 'button', class: 'button small warn', 'aria-label': label, 'aria-expanded': 'false', onclick: open }, 'Warn');
  const panel = postHeadForm(button, area);
  const close = panel.close;

  function open(): void {
    const form = warnForm({
      id: `warn-reason-${post.id}`,
      label: `Why are you warning ${post.author.username} for this post?`,
      ariaLabel: label,
      cancel: () => close(true),
      send: (reason) =>
        send(post, reason).then((result) => {
          close(false);
          replaceChildren(area, warnedNote(result, post.author.username));
        }),
    });
    form.el.classList.add('panel');
    panel.show(form.el, form.reason);
  }

  return { button, area };
}

/** A post redrawn (an edit, live) keeps its Warn button and form as they were: the reason being typed, or "Warning sent.", stays. */
export function carryWarn(from: HTMLElement, to: HTMLElement): void {
  carryParts(from, to, ['.post-head .warn', '.warn-area']);
}
