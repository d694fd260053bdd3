import type { Api } from '../api.js';
import { h } from '../dom.js';

/**
 * phpBB's "Subscribe topic" (Discourse's "Watching"): a member watching a topic is told of its
 * replies (notifications). One button that says what pressing it does; `show` sets the state a
 * page load found.
 */
export function watchButton(api: Api, topicId: string, onError: (text: string) => void) {
  let watching = false;
  const el = h('button', { type: 'button', class: 'button small watch-topic' });

  function render(): void {
    el.textContent = watching ? 'Stop watching' : 'Watch topic';
    el.setAttribute('aria-pressed', String(watching));
    el.title = watching ? 'You are told of replies to this topic' : 'Be told of replies to this topic';
  }

  el.addEventListener('click', () => {
    el.disabled = true;
    const path = `/topics/${encodeURIComponent(topicId)}/watch`;
    api.request<{ watching: boolean }>(watching ? 'DELETE' : 'PUT', path, watching ? undefined : {}).then(
      (answer) => {
        watching = answer.watching;
        render();
        el.disabled = false;
      },
      (err: unknown) => {
        el.disabled = false;
        onError(err instanceof Error ? `Could not change watching: ${err.message}` : 'Could not change watching.');
      },
    );
  });

  render();
  return {
    el,
    show(state: boolean | undefined): void {
      watching = !!state;
      render();
    },
  };
}
