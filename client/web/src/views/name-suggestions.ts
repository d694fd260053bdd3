import type { Api } from '../api.js';
import { h } from '../dom.js';
import { nameLookup, type NameSuggestion } from '../name-lookup.js';

/** Wait this long after the last key before asking the server (a known prefix shows at once). */
const DEBOUNCE_MS = 150;

/** The part of a field's text being completed: [start, end) is replaced; `prefix` is looked up. */
export interface NameWord {
  start: number;
  end: number;
  prefix: string;
}

/** What a field completes, and how a chosen name is written in. */
export interface NameRules {
  /** The name being typed at the caret, or null when there is none. */
  wordAt(text: string, caret: number): NameWord | null;
  /** How a chosen member's name is written (e.g. `@alice`). */
  token(username: string): string;
  /** What follows it (not doubled when the text after already starts with it). */
  separator: string;
  /** Whether to offer a name (e.g. not one written already); every name unless told. */
  offer?(username: string, text: string, word: NameWord): boolean;
  /** The list's accessible name (no test's field label inside it: Playwright's getByLabel matches parts). */
  label: string;
}

let lists = 0;

/**
 * A listbox of members' names under a text field, for the name being typed at the caret.
 * ArrowDown/ArrowUp move the selection (the first is selected), Enter or Tab writes the
 * selected name in, Escape closes the list, and a click writes in the one clicked. It closes
 * when the caret leaves the name, on blur, and when nothing matches. Answers are debounced;
 * one older than the latest request is dropped. `el` goes under the field, in a positioned
 * wrapper (`.name-suggest`).
 */
export function nameSuggestions(field: HTMLTextAreaElement | HTMLInputElement, api: Api, rules: NameRules): { el: HTMLElement; close(): void } {
  const lookup = nameLookup(api);
  const id = `name-suggestions-${++lists}`;
  const list = h('ul', { id, class: 'name-suggestions', role: 'listbox', 'aria-label': rules.label, hidden: true });
  field.setAttribute('aria-autocomplete', 'list');
  field.setAttribute('aria-controls', id);

  /** The name being completed, and the one Escape closed the list for (not offered again until it changes). */
  let word: NameWord | null = null;
  let dismissed: string | null = null;
  let items: NameSuggestion[] = [];
  let selected = 0;
  /** Bumped by every request and every close: an answer for an older ticket is dropped. */
  let ticket = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const keyOf = (w: NameWord) => `${w.start}:${w.prefix}`;
  const optionId = (i: number) => `${id}-${i}`;

  function render(): void {
    list.replaceChildren(
      ...items.map((u, i) =>
        h(
          'li',
          {
            id: optionId(i),
            role: 'option',
            'aria-selected': i === selected ? 'true' : 'false',
            'data-username': u.username,
            // Keep the focus (and the caret) in the field: the click then writes the name in.
            onmousedown: (e) => e.preventDefault(),
            onclick: () => choose(i),
          },
          u.username,
        ),
      ),
    );
    list.hidden = false;
    field.setAttribute('aria-activedescendant', optionId(selected));
  }

  /** Hide the list (a pending request still answers). */
  function hide(): void {
    items = [];
    list.hidden = true;
    list.replaceChildren();
    field.removeAttribute('aria-activedescendant');
  }

  /** Hide the list and forget the name: nothing pending answers. */
  function close(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    ticket++;
    word = null;
    hide();
  }

  function show(users: NameSuggestion[]): void {
    const w = word;
    items = w ? users.filter((u) => rules.offer?.(u.username, field.value, w) ?? true) : [];
    if (!items.length || document.activeElement !== field) return hide();
    selected = 0;
    render();
  }

  /** Look at the caret again: a new name to complete, the same one, or none. */
  function update(): void {
    // Only while the member types in the field (text set by the page, e.g. a recipient, asks nothing).
    const typing = document.activeElement === field && field.selectionStart === field.selectionEnd;
    const w = typing ? rules.wordAt(field.value, field.selectionStart ?? 0) : null;
    if (!w) {
      dismissed = null;
      return close();
    }
    const key = keyOf(w);
    if (key === dismissed || (word && keyOf(word) === key)) return;
    dismissed = null;
    if (timer) clearTimeout(timer);
    timer = null;
    const mine = ++ticket;
    word = w;
    const known = lookup.known(w.prefix);
    if (known) return show(known);
    // Until the answer comes, what is shown narrows to what still fits.
    if (!list.hidden) {
      const lower = w.prefix.trim().toLowerCase();
      const still = items.filter((u) => u.username.toLowerCase().startsWith(lower));
      if (still.length) show(still);
      else hide();
    }
    timer = setTimeout(() => {
      timer = null;
      lookup.ask(w.prefix).then(
        (users) => mine === ticket && show(users),
        () => mine === ticket && hide(),
      );
    }, DEBOUNCE_MS);
  }

  /** Write the chosen name in place of what was typed, then carry on typing after it. */
  function choose(i: number): void {
    const user = items[i];
    const w = word;
    if (!user || !w) return;
    const token = rules.token(user.username);
    const after = field.value.slice(w.end);
    const text = after.startsWith(rules.separator) ? token : token + rules.separator;
    field.setRangeText(text, w.start, w.end, 'end');
    const caret = w.start + token.length + rules.separator.length;
    field.focus();
    field.setSelectionRange(caret, caret);
    close();
    field.dispatchEvent(new Event('input', { bubbles: true })); // kept in the draft, like typing
  }

  function move(by: number): void {
    selected = (selected + by + items.length) % items.length;
    render();
  }

  const events: HTMLElement = field;
  events.addEventListener('input', update);
  events.addEventListener('click', update);
  events.addEventListener('keyup', update); // the caret moved (arrows, Home, End); same name: nothing to do
  events.addEventListener('blur', close); // an option's mousedown keeps the focus, so its click still lands
  events.addEventListener('keydown', (e) => {
    if (list.hidden || e.isComposing) return;
    const plain = !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if ((e.key === 'Enter' || e.key === 'Tab') && plain) {
      e.preventDefault();
      choose(selected);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      dismissed = word && keyOf(word);
      close();
    } else if (e.key === 'Enter') {
      close(); // Ctrl+Enter sends the form: the list goes with it
    }
  });

  return { el: list, close };
}
