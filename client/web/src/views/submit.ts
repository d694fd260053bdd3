/**
 * A form's submit, the same way on every form: `run` returns the request to wait for, or
 * nothing when there is nothing to send (an empty message). While it runs the button is
 * disabled; a failure shows its message (or `fallback`) in `error`.
 */
export function onSubmit(
  form: HTMLFormElement,
  parts: { button: HTMLButtonElement; error: HTMLElement; fallback: string },
  run: () => Promise<void> | undefined,
): void {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const pending = run();
    if (!pending) return;
    parts.button.disabled = true;
    parts.error.hidden = true;
    try {
      await pending;
    } catch (err) {
      showFailure(parts.error, err, parts.fallback);
    } finally {
      parts.button.disabled = false;
    }
  });
}

/** Show why an action failed: the server's message, or `fallback` when there is none. */
export function showFailure(error: HTMLElement, err: unknown, fallback: string): void {
  error.textContent = err instanceof Error ? err.message : fallback;
  error.hidden = false;
}
