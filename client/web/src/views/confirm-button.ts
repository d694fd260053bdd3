import { h } from '../dom.js';

/** How long a button asking "Really …?" waits for the second click. */
export const CONFIRM_MS = 5_000;

/**
 * A button that acts on its second click within CONFIRM_MS: the first turns its label into
 * `armedLabel` ("Really delete?"); left alone, it turns back. No dialog (the browser tests
 * refuse dialogs, and a dialog steals focus from a live page).
 */
export function confirmButton(opts: { label: string; armedLabel: string; className: string; ariaLabel?: string; onConfirm: () => void }): { el: HTMLButtonElement; /** Back to the first click's state (and no timer left running). */ disarm(): void } {
  let armed: ReturnType<typeof setTimeout> | null = null;
  const button = h('button', { type: 'button', class: opts.className, ...(opts.ariaLabel && { 'aria-label': opts.ariaLabel }) }, opts.label);
  const disarm = () => {
    if (armed) clearTimeout(armed);
    armed = null;
    button.textContent = opts.label;
  };
  button.addEventListener('click', () => {
    if (!armed) {
      button.textContent = opts.armedLabel;
      armed = setTimeout(disarm, CONFIRM_MS);
      return;
    }
    disarm();
    opts.onConfirm();
  });
  return { el: button, disarm };
}
