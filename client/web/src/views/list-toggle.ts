import { showFailure } from './submit.js';

/**
 * A profile button that puts a member on one of the reader's lists or takes them off (friends,
 * ignored): one change at a time, the server's refusal shown in `error`, and `show` redrawing
 * the button as the list now stands whatever happened.
 */
export function onListToggle(button: HTMLElement, error: HTMLElement, change: () => Promise<unknown>, show: () => void): void {
  button.addEventListener('click', async () => {
    // aria-disabled, not disabled: a disabled button would lose keyboard focus.
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    error.hidden = true;
    try {
      await change();
    } catch (err) {
      showFailure(error, err, 'That did not work');
    } finally {
      button.removeAttribute('aria-disabled');
      show();
    }
  });
}
