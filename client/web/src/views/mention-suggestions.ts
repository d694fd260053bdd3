// @mention suggestions in a message textarea, as Discourse and NodeBB offer them. What goes in
// is what the server reads back as a mention (server/render/mentions.ts): `@name`, or
// `@"Name With Spaces"` for a name it would not read whole without the quotes.
import { LIMITS } from '../../../../shared/limits.js';
import type { Api } from '../api.js';
import { nameSuggestions, type NameWord } from './name-suggestions.js';

/**
 * `@` and the start of a name just before the caret. The `@` starts a word: not after a letter,
 * digit, `_`, `@`, `/` or `.` (an e-mail address, a URL), as the server reads mentions.
 */
const TYPED = /(^|[^\p{L}\p{N}_@/.])@([\p{L}\p{N}_][\p{L}\p{N}_.-]*)$/u;
/** The rest of the name after the caret (replaced with it). */
const REST = /[\p{L}\p{N}_.-]*/uy;
/** A name the server reads whole after a bare `@` (it drops a trailing `.` or `-`). */
const BARE = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?$/u;

/** The mention being typed at `caret`, if any. */
export function mentionAt(text: string, caret: number): NameWord | null {
  // Only the end of the text before the caret can hold it: `@`, a name, and the character before.
  const from = Math.max(0, caret - LIMITS.usernameMax - 2);
  const m = TYPED.exec(text.slice(from, caret));
  if (!m) return null;
  const prefix = m[2];
  // At the window's edge the character before the `@` is unseen: such a name is too long anyway.
  if ((m[1] === '' && from > 0) || prefix.length > LIMITS.usernameMax) return null;
  REST.lastIndex = caret;
  const rest = REST.exec(text)?.[0] ?? '';
  return { start: caret - prefix.length - 1, end: caret + rest.length, prefix };
}

/** `@alice`, or `@"Al Smith"` for a name with a space (or anything else a bare mention would cut). */
export function mentionOf(username: string): string {
  return BARE.test(username) ? `@${username}` : `@"${username}"`;
}

/** Attach @mention suggestions to a textarea; put `el` right under it (in a `.name-suggest` wrapper). */
export function mentionSuggestions(textarea: HTMLTextAreaElement, api: Api): { el: HTMLElement; close(): void } {
  return nameSuggestions(textarea, api, { wordAt: mentionAt, token: mentionOf, separator: ' ', label: 'Mention suggestions' });
}
