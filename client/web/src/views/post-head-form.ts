import { replaceChildren } from '../dom.js';

/**
 * A button in a post's head that opens a small form under the post (never a dialog), as Report
 * and Warn do: `show` puts the form in `area` in place of the button, `close` brings the button
 * back (and focus to it when the reader cancelled).
 */
export function postHeadForm(button: HTMLElement, area: HTMLElement) {
  return {
    show(form: HTMLElement, focus: HTMLElement): void {
      button.hidden = true;
      button.setAttribute('aria-expanded', 'true');
      replaceChildren(area, form);
      focus.focus();
    },
    close(focusButton: boolean): void {
      replaceChildren(area);
      button.hidden = false;
      button.setAttribute('aria-expanded', 'false');
      if (focusButton) button.focus();
    },
  };
}

/** A post redrawn (an edit, live) keeps these parts as they were: a form being typed in, or the note that replaced it. */
export function carryParts(from: HTMLElement, to: HTMLElement, selectors: string[]): void {
  for (const selector of selectors) {
    const before = from.querySelector(selector);
    const after = to.querySelector(selector);
    if (before && after) after.replaceWith(before);
  }
}
