import type { ForumSocket, TypingEvent } from '../../../sdk/index.js';
import { joinNames } from '../format.js';
import { h } from '../dom.js';

/** How long a "typing" lasts without a refresh (a lost "stopped" must not stick forever). */
const TYPING_TTL_MS = 8000;

/** "alice is replying…": follows `typing` events for one topic, ignoring our own. */
export function typingLine(socket: ForumSocket, topicId: string, me: string | null): { el: HTMLElement; clear(userId: string): void; dispose(): void } {
  const el = h('p', { id: 'typing', class: 'typing', 'aria-live': 'polite' });
  const typists = new Map<string, { name: string; timer: ReturnType<typeof setTimeout> }>();

  function render(): void {
    const names = [...typists.values()].map((t) => t.name);
    el.textContent = names.length ? `${joinNames(names)} ${names.length === 1 ? 'is' : 'are'} replying…` : '';
  }

  function stop(userId: string): void {
    const t = typists.get(userId);
    if (t) clearTimeout(t.timer);
    typists.delete(userId);
  }

  const onTyping = (e: TypingEvent) => {
    if (e.topicId !== topicId || e.user.id === me) return;
    stop(e.user.id);
    if (e.typing) {
      typists.set(e.user.id, { name: e.user.username, timer: setTimeout(() => (stop(e.user.id), render()), TYPING_TTL_MS) });
    }
    render();
  };
  socket.on('typing', onTyping);

  return {
    el,
    /** Someone's post arrived: they stopped replying. */
    clear: (userId) => {
      stop(userId);
      render();
    },
    dispose: () => {
      socket.off('typing', onTyping);
      for (const id of [...typists.keys()]) stop(id);
    },
  };
}
