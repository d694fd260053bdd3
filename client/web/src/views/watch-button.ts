import type { Api } from '../api.js';
import { h } from '../dom.js';

/**
 * phpBB's "Subscribe topic" and "Subscribe forum" (Discourse's "Watching"): a member watching a
 * topic is told of its replies, one watching a forum of its new topics (notifications). One
 * button that says what pressing it does; `show` sets the state a page load found.
 */
export function watchButton(api: Api, what: { kind: 'topic' | 'forum'; id: string }, onError: (text: string) => void) {
  const base = what.kind === 'topic' ? '/topics/' : '/forums/';
  const told = what.kind === 'topic' ? 'replies to this topic' : 'new topics in this forum';
  let watching = false;
  const el = h('button', { type: 'button', class: `button small watch-${what.kind}` });

  function render(): void {
    el.textContent = watching ? 'Stop watching' : `Watch ${what.kind}`;
    el.setAttribute('aria-pressed', String(watching));
    el.title = watching ? `You are told of ${told}` : `Be told of ${told}`;
  }

  el.addEventListener('click', () => {
    el.disabled = true;
    const path = `${base}${encodeURIComponent(what.id)}/watch`;
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
