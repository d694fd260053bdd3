// Plain-text excerpts of rendered posts, for search results: the tags of our own sanitized
// bodyHtml dropped (sanitize-html with nothing allowed), its entities decoded (entities).
import sanitizeHtml from 'sanitize-html';
import { decodeHTML } from 'entities';

/** Escape a string so a regular expression (JavaScript, MongoDB's PCRE, FerretDB's Go RE2) matches it literally. */
export const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

const BLOCK_END = /<br\s*\/?>|<\/(?:p|li|blockquote|cite|pre|h[1-6]|ul|ol)>|<hr\s*\/?>/gi;

/** The text of sanitized HTML, whitespace collapsed (block ends become spaces). */
export function htmlToText(html: string): string {
  const text = sanitizeHtml(html.replace(BLOCK_END, ' '), { allowedTags: [], allowedAttributes: {} });
  return decodeHTML(text).replace(/\s+/g, ' ').trim();
}

const isLowSurrogate = (s: string, i: number) => i > 0 && i < s.length && /[\udc00-\udfff]/.test(s[i]);

/**
 * About `size` characters of `text` around the first occurrence of any of `words` (any case),
 * starting a little before it and cut at spaces where one is near, with `…` where text was cut.
 * No match (a word found only in the subject, or only in markup): the start of the text.
 */
export function snippetAround(text: string, words: readonly string[], size = 200): string {
  if (text.length <= size) return text;
  const first = words.length ? new RegExp(words.map(escapeRegExp).join('|'), 'iu').exec(text) : null;
  const lead = Math.floor(size / 4);
  let start = Math.max(0, Math.min((first?.index ?? 0) - lead, text.length - size));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space - start < lead / 2 && first && space < first.index) start = space + 1;
  }
  let end = Math.min(text.length, start + size);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + size / 2) end = space;
  }
  if (isLowSurrogate(text, start)) start += 1;
  if (isLowSurrogate(text, end)) end -= 1;
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
