import { h } from '../dom.js';
import { readTags, TAG_HINT, type TagCheck } from '../tag-check.js';

/**
 * A "Tags" input, comma- or space-separated, with the rules under it; while typing, the hint says
 * when there are too many or one is too long (tag-check.ts), before anything is sent.
 */
export function tagField(id: string): { label: HTMLElement; input: HTMLInputElement; hint: HTMLElement; read(): TagCheck; set(tags: string[] | undefined): void } {
  const hintId = `${id}-hint`;
  const input = h('input', { id, name: 'tags', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. linux, wifi-drops', 'aria-describedby': hintId });
  const hint = h('p', { id: hintId, class: 'hint tag-hint' }, TAG_HINT);
  const read = () => readTags(input.value);
  function showHint(): void {
    const checked = read();
    hint.textContent = checked.ok ? TAG_HINT : checked.message;
    hint.classList.toggle('over', !checked.ok);
  }
  input.addEventListener('input', showHint);
  return {
    label: h('label', { for: id }, 'Tags'),
    input,
    hint,
    read,
    set(tags) {
      input.value = (tags ?? []).join(', ');
      showHint();
    },
  };
}
