// Who a post body speaks to: the authors of its top-level quotes (`[quote="alice"]`,
// `[quote=alice]`) and the members it mentions (`@alice`, or `@"Alice Smith"` for a name with
// spaces). Mentions inside quotes and code are not counted: they are someone else's words,
// or not words at all. Names come back lower-cased (as `usernameLower` stores them), each once.

import { LIMITS } from '../../shared/limits.js';

export interface Addressed {
  quoted: string[];
  mentioned: string[];
}

const CODE = /\[code(?:=[^\]]*)?\][\s\S]*?\[\/code\]|```[\s\S]*?```|`[^`\n]*`/gi;
const QUOTE_TAG = /\[(\/?)quote(?:=([^\]]*))?\]/gi;
// A mention starts a word: not after a letter, digit, `_`, `@`, `/` or `.` (an e-mail address, a URL).
const MENTION = /(^|[^\p{L}\p{N}_@/.])@(?:"([^"\n]{2,64})"|([\p{L}\p{N}_][\p{L}\p{N}_.-]*))/gu;

/** At most `limit` names in all (quotes first, then mentions), none of them `exclude` (the author). */
export function addressedIn(body: string, exclude: string, limit: number = LIMITS.mentionsPerPost): Addressed {
  const { quoted, outside } = splitQuotes(body.replace(CODE, ' '));
  const seen = new Set([exclude.toLowerCase()]);
  const take = (names: string[]) => names.map((n) => n.trim().toLowerCase()).filter((n) => n.length >= LIMITS.usernameMin && n.length <= LIMITS.usernameMax && !seen.has(n) && seen.add(n));
  const q = take(quoted).slice(0, limit);
  const mentioned: string[] = [];
  for (const m of outside.matchAll(MENTION)) mentioned.push(m[2] ?? m[3].replace(/[.-]+$/, ''));
  return { quoted: q, mentioned: take(mentioned).slice(0, limit - q.length) };
}

/** The authors of top-level quotes, and the text outside every quote. */
function splitQuotes(text: string): { quoted: string[]; outside: string } {
  const quoted: string[] = [];
  let outside = '';
  let depth = 0;
  let from = 0;
  for (const m of text.matchAll(QUOTE_TAG)) {
    const at = m.index ?? 0;
    if (m[1] === '/') {
      if (depth === 0) continue; // a stray closing tag is just text
      depth--;
      if (depth === 0) from = at + m[0].length;
      continue;
    }
    if (depth === 0) {
      outside += text.slice(from, at) + ' ';
      const author = quoteAuthor(m[2]);
      if (author) quoted.push(author);
    }
    depth++;
  }
  if (depth === 0) outside += text.slice(from);
  return { quoted, outside };
}

/** `"alice" post_id=1` or `alice` -> `alice`. */
function quoteAuthor(attr: string | undefined): string | null {
  if (!attr) return null;
  const a = attr.trim();
  if (a.startsWith('"') || a.startsWith("'")) {
    const end = a.indexOf(a[0], 1);
    return end > 1 ? a.slice(1, end) : null;
  }
  return a.split(/\s+/)[0] || null;
}
