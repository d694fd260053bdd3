// Post bodies and signatures are rendered once, on write, from Markdown + phpBB BBCode
// to HTML that is safe to send to every reader as-is.
//
// Pass order (why it is not simply "BBCode, then Markdown" or the reverse):
//  1. The source is normalised (CRLF -> LF, C0 control characters removed; the two
//     placeholder delimiters below are control characters, so users cannot forge one).
//  2. @bbob parses the BBCode. Our preset (an extension of preset-html5) decides what
//     each tag becomes; a last plugin uses the parser's source positions to swap every
//     accepted tag for an opaque placeholder `\u0001<n>\u0002` that indexes a table of
//     HTML fragments. All other text is copied from the source byte for byte, so
//     bbob never rewrites or escapes what the user typed.
//  3. markdown-it (html: false) renders the result: user-typed HTML is escaped as usual,
//     while placeholders are plain text to it, so Markdown and BBCode can be mixed.
//     A core rule that runs right after inline parsing turns placeholders into
//     html_inline tokens (b, url, colour...) or splits the surrounding paragraph around
//     an html_block (quote, code, list), so block BBCode never ends up inside a <p>.
//     In code spans and fences, placeholders go back to the original BBCode text, so
//     `[b]` typed inside backticks stays literal. URLs that markdown-it already linked
//     inside a [url] are unwrapped (no <a> in <a>); the core linkify pass, which runs
//     after this rule, sees the [url]'s <a> tokens and leaves their text alone.
//  4. sanitize-html, with an explicit allow-list, is the safety net over all of it.
// Known seams: markdown-it reads a placeholder as letters, so `_x_` written right against
// a BBCode tag does not italicise (`*x*` does); BBCode that is not closed, is mis-nested
// or has an unsafe value is shown as typed rather than guessed at.
// Everything is synchronous, pure and deterministic; per-call state lives in the
// markdown-it `env` and in closures, never in module state.
import bbobHtml, { render as renderBbNodes } from '@bbob/html';
import presetHTML5 from '@bbob/preset-html5';
import MarkdownIt from 'markdown-it';
import { full as emoji } from 'markdown-it-emoji';
import type { StateCore, Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** BBCode nested deeper than this loses its tags (the text is kept): pathological
 * input such as 5,000 nested [quote]s stays cheap, and bbob's recursive walk stays shallow. */
export const MAX_BBCODE_DEPTH = 16;

type ForumTags = Parameters<Parameters<typeof presetHTML5.extend>[0]>[0];
type TagFn = ForumTags[string];
type BbNode = Parameters<TagFn>[0];
type BbPlugin = Extract<Parameters<typeof bbobHtml>[1], readonly unknown[]>[number];
type BbTree = Parameters<BbPlugin>[0];
type Span = { from: number; to: number };

/** What the serialiser does with a tag node, decided by the preset. */
type Directive =
  | { kind: 'wrap'; open: string; close: string; block: boolean; closesItem?: boolean }
  | { kind: 'atomic'; pieces: Piece[]; block: boolean } // whole [tag]...[/tag] -> one fragment
  | { kind: 'item'; html: string; closesItem: boolean } // a [*] inside a [list]
  | { kind: 'strip' } // drop the tags, keep what is between them
  | { kind: 'drop' } // drop the tags and what is between them
  | { kind: 'literal' } // leave the tag text as the user typed it
  | { kind: 'strip-all'; spans: Span[] }; // over-deep subtree: every tag span removed

type Piece = { type: 'html' | 'text'; content: string };
interface Slot {
  source: string; // original BBCode, used inside code and attributes
  pieces: Piece[];
  block: boolean;
  opensItem: boolean;
  closesItem: boolean;
}
interface Env {
  bbSlots: Slot[];
}
type Mode = 'body' | 'signature';

const BBCODE_TAGS = ['b', 'i', 'u', 's', 'quote', 'url', 'img', 'code', 'list', '*', 'color', 'size'];
const PLACEHOLDER_RE = /\u0001(\d+)\u0002/g;
const SPLIT = '\u0000'; // bbob strips control characters from attribute values
const DIRECTIVE = 'forumDirective';

// ---------------------------------------------------------------------------------
// Pass 2: BBCode -> source with placeholders

function directiveOf(node: BbNode): Directive | undefined {
  return (node as unknown as Record<string, Directive | undefined>)[DIRECTIVE];
}

function withDirective(node: BbNode, directive: Directive, content: BbNode['content'] = node.content): BbNode {
  return { tag: node.tag, attrs: node.attrs, content, start: node.start, end: node.end, [DIRECTIVE]: directive } as BbNode;
}

function isTag(node: unknown): node is BbNode {
  return typeof node === 'object' && node !== null && 'tag' in node;
}

function tagPair(tag: string, attrs: Record<string, string> = {}, inner = ''): [string, string] {
  const [open, close] = renderBbNodes({ tag, attrs, content: [SPLIT] }).split(SPLIT);
  return [open + inner, close];
}

/** Text as HTML text (also inside double-quoted attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `[tag=value]`: the one attribute bbob stores as value === key. */
function soleValue(attrs: BbNode['attrs']): string | null {
  const keys = Object.keys(attrs ?? {});
  return keys.length === 1 && attrs?.[keys[0]] === keys[0] ? keys[0] : null;
}

/** `[quote="alice" post_id=1 time=2]` and `[quote=alice]` -> "alice". */
function quoteAuthor(attrs: BbNode['attrs']): string | null {
  const first = Object.keys(attrs ?? {}).find((key) => attrs?.[key] === key);
  if (!first) return null;
  const quoteAt = first.indexOf('"');
  const name = (quoteAt >= 0 ? first.slice(0, quoteAt) : first.replace(/(?:\s+[a-z_]+=\S*)+$/i, '')).trim();
  return name ? name.slice(0, 64) : null;
}

/** This board's own uploads (`/attachments/<id>`): the one same-origin path an image may use. */
const ATTACHMENT_PATH = /^\/attachments\/[0-9a-f]{32}$/;

/** Absolute http(s) for images, or this board's attachments; links also take mailto:, www. and site-relative paths. */
function safeUrl(raw: string, kind: 'link' | 'image'): string | null {
  const url = raw.trim();
  if (!url || url.length > 2048 || /[\s"<>`\\]/.test(url)) return null;
  if (/^https?:\/\/[^/]/i.test(url)) return url;
  if (kind === 'image') return ATTACHMENT_PATH.test(url) ? url : null;
  if (/^mailto:[^/]/i.test(url)) return url;
  if (/^www\./i.test(url)) return `http://${url}`;
  if (/^\/(?!\/)/.test(url)) return url;
  return null;
}

const COLOR_RE = /^(?:#[0-9a-f]{3}(?:[0-9a-f]{3})?|[a-z]{3,20})$/i;

function forumTags(source: string, mode: Mode): ForumTags {
  const closed = (node: BbNode): boolean => {
    if (!node.end || !node.start) return false;
    const closing = source.slice(node.end.from, node.end.to);
    return closing.replace(/\s+/g, '').toLowerCase() === `[/${String(node.tag)}]`;
  };
  const inner = (node: BbNode): string => (node.start && node.end ? source.slice(node.start.to, node.end.from) : '');
  const literal = (node: BbNode) => withDirective(node, { kind: 'literal' });
  const inline = (tag: string) => (node: BbNode) => {
    if (!closed(node)) return literal(node);
    const [open, close] = tagPair(tag);
    return withDirective(node, { kind: 'wrap', open, close, block: false });
  };
  const signature = mode === 'signature';

  return {
    b: inline('strong'),
    i: inline('em'),
    u: inline('u'),
    s: inline('s'),
    url: (node) => {
      if (!closed(node)) return literal(node);
      const target = soleValue(node.attrs);
      if (target !== null) {
        const href = safeUrl(target, 'link');
        if (!href) return literal(node);
        const [open, close] = tagPair('a', { href });
        return withDirective(node, { kind: 'wrap', open, close, block: false });
      }
      const text = inner(node);
      const href = safeUrl(text, 'link');
      if (!href || Object.keys(node.attrs ?? {}).length > 0) return literal(node);
      const [open, close] = tagPair('a', { href });
      const pieces: Piece[] = [
        { type: 'html', content: open },
        { type: 'text', content: text.trim() },
        { type: 'html', content: close },
      ];
      return withDirective(node, { kind: 'atomic', pieces, block: false }, null);
    },
    img: (node) => {
      if (!closed(node)) return literal(node);
      if (signature) return withDirective(node, { kind: 'drop' }, null);
      const src = safeUrl(inner(node), 'image');
      if (!src) return withDirective(node, { kind: 'drop' }, null);
      const html = renderBbNodes({ tag: 'img', attrs: { src, alt: '' }, content: null });
      return withDirective(node, { kind: 'atomic', pieces: [{ type: 'html', content: html }], block: false }, null);
    },
    quote: (node) => {
      if (!closed(node)) return literal(node);
      if (signature) return withDirective(node, { kind: 'strip' });
      const author = quoteAuthor(node.attrs);
      const cite = author ? renderBbNodes({ tag: 'cite', attrs: {}, content: [`${escapeHtml(author)} wrote:`] }) : '';
      const [open, close] = tagPair('blockquote', {}, cite);
      return withDirective(node, { kind: 'wrap', open, close, block: true });
    },
    code: (node) => {
      if (!closed(node)) return literal(node);
      const code = inner(node).replace(/^\n/, '').replace(/\n$/, '');
      const [open, close] = signature ? tagPair('code') : tagPair('pre', {}, '<code>');
      const pieces: Piece[] = [
        { type: 'html', content: open },
        { type: 'text', content: code },
        { type: 'html', content: signature ? close : `</code>${close}` },
      ];
      return withDirective(node, { kind: 'atomic', pieces, block: !signature }, null);
    },
    list: (node) => {
      if (!closed(node)) return literal(node);
      if (signature) return withDirective(node, { kind: 'strip' });
      const [open, close] = tagPair(soleValue(node.attrs) ? 'ol' : 'ul');
      // Only direct [*] children are items; each closes the previous one.
      let items = 0;
      const content = (Array.isArray(node.content) ? node.content : []).map((child) => {
        if (!isTag(child) || child.tag !== '*') return child;
        const directive: Directive = { kind: 'item', html: `${items > 0 ? '</li>' : ''}<li>`, closesItem: items > 0 };
        items += 1;
        return withDirective({ tag: '#item', attrs: {}, content: [], start: child.start }, directive);
      });
      const directive: Directive = items
        ? { kind: 'wrap', open, close: `</li>${close}`, block: true, closesItem: true }
        : { kind: 'wrap', open, close, block: true };
      return withDirective(node, directive, content);
    },
    '*': (node) => withDirective(node, signature ? { kind: 'drop' } : { kind: 'literal' }),
    color: (node) => {
      const color = soleValue(node.attrs);
      if (!closed(node) || !color || !COLOR_RE.test(color)) return literal(node);
      const [open, close] = tagPair('span', { style: `color: ${color.toLowerCase()}` });
      return withDirective(node, { kind: 'wrap', open, close, block: false });
    },
    size: (node) => {
      const size = soleValue(node.attrs);
      if (!closed(node) || !size || !/^\d{1,3}$/.test(size)) return literal(node);
      if (signature) return withDirective(node, { kind: 'strip' });
      // phpBB sizes are percentages; keep them readable.
      const percent = Math.min(200, Math.max(50, Number(size)));
      const [open, close] = tagPair('span', { style: `font-size: ${percent}%` });
      return withDirective(node, { kind: 'wrap', open, close, block: false });
    },
  };
}

/** First plugin: lower-case tag names (caseFreeTags matches [B] but keeps its case) and
 * flatten anything deeper than MAX_BBCODE_DEPTH. Iterative, so depth cannot overflow the stack. */
function limitDepth(tree: BbTree): BbTree {
  const pending: Array<{ list: unknown[]; depth: number }> = [{ list: tree, depth: 0 }];
  while (pending.length > 0) {
    const { list, depth } = pending.pop()!;
    for (let i = 0; i < list.length; i++) {
      const node = list[i];
      if (!isTag(node)) continue;
      if (depth >= MAX_BBCODE_DEPTH) {
        list[i] = withDirective({ tag: '#deep', attrs: {} }, { kind: 'strip-all', spans: closedSpans(node) }, null);
        continue;
      }
      const lower: BbNode = { tag: String(node.tag).toLowerCase(), attrs: node.attrs ?? {}, content: node.content, start: node.start, end: node.end };
      list[i] = lower;
      if (Array.isArray(lower.content)) pending.push({ list: lower.content, depth: depth + 1 });
    }
  }
  return tree;
}

function closedSpans(root: BbNode): Span[] {
  const spans: Span[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isTag(node)) continue;
    if (node.start && node.end) spans.push(node.start, node.end);
    if (Array.isArray(node.content)) pending.push(...node.content);
  }
  return spans;
}

/** Last plugin: replace the tree with one string, the source with accepted tags swapped
 * for placeholders. Recursion here is bounded by MAX_BBCODE_DEPTH. */
function toPlaceholders(source: string, slots: Slot[]) {
  return (tree: BbTree): BbTree => {
    const edits: Array<{ from: number; to: number; text: string }> = [];
    const slot = (span: Span, pieces: Piece[], block: boolean, opensItem = false, closesItem = false) => {
      slots.push({ source: source.slice(span.from, span.to), pieces, block, opensItem, closesItem });
      edits.push({ from: span.from, to: span.to, text: `\u0001${slots.length - 1}\u0002` });
    };
    const html = (content: string): Piece[] => [{ type: 'html', content }];
    const visit = (nodes: unknown): void => {
      if (!Array.isArray(nodes)) return;
      for (const node of nodes) {
        if (!isTag(node)) continue;
        const directive = directiveOf(node);
        const { start, end } = node;
        if (directive?.kind === 'strip-all') {
          for (const span of directive.spans) edits.push({ ...span, text: '' });
          continue;
        }
        if (!directive || !start || directive.kind === 'literal') {
          visit(node.content);
          continue;
        }
        if (directive.kind === 'item') {
          slot(start, html(directive.html), true, true, directive.closesItem);
          continue;
        }
        if (directive.kind === 'drop') {
          edits.push({ from: start.from, to: (end ?? start).to, text: '' });
          continue;
        }
        if (!end) {
          visit(node.content);
          continue;
        }
        const whole = { from: start.from, to: end.to };
        if (directive.kind === 'atomic') slot(whole, directive.pieces, directive.block);
        else if (directive.kind === 'strip') {
          edits.push({ ...start, text: '' });
          visit(node.content);
          edits.push({ ...end, text: '' });
        } else {
          slot(start, html(directive.open), directive.block);
          visit(node.content);
          slot(end, html(directive.close), directive.block, false, directive.closesItem);
        }
      }
    };
    visit(tree);
    edits.sort((a, b) => a.from - b.from);
    let out = '';
    let at = 0;
    for (const edit of edits) {
      out += source.slice(at, edit.from) + edit.text;
      at = edit.to;
    }
    out += source.slice(at);
    tree.length = 0;
    tree.push(out);
    return tree;
  };
}

function bbcodeToPlaceholders(source: string, mode: Mode, slots: Slot[]): string {
  const preset = presetHTML5.extend(() => forumTags(source, mode));
  return bbobHtml(source, [limitDepth, preset(), toPlaceholders(source, slots)], {
    onlyAllowTags: BBCODE_TAGS,
    contextFreeTags: ['code'],
    caseFreeTags: true,
  });
}

// ---------------------------------------------------------------------------------
// Pass 3: Markdown, with placeholders resolved into tokens

function restoreSource(text: string, slots: Slot[]): string {
  return text.replace(PLACEHOLDER_RE, (match, id: string) => slots[Number(id)]?.source ?? '');
}

/** Split text tokens at placeholders; inline slots become html_inline/text tokens,
 * block slots become a temporary `bb_block` token handled by splitAroundBlocks. */
function expandInline(state: StateCore, children: Token[], slots: Slot[]): Token[] {
  const out: Token[] = [];
  const make = (type: string, content: string, level: number) => {
    const token = new state.Token(type, '', 0);
    token.content = content;
    token.level = level;
    return token;
  };
  for (const child of children) {
    if (child.type === 'code_inline') child.content = restoreSource(child.content, slots);
    if (child.type === 'image' && child.children) {
      for (const alt of child.children) alt.content = restoreSource(alt.content, slots);
    }
    if (child.type !== 'text' || !child.content.includes('\u0001')) {
      out.push(child);
      continue;
    }
    let at = 0;
    for (const match of child.content.matchAll(PLACEHOLDER_RE)) {
      const slot = slots[Number(match[1])];
      if (match.index > at) out.push(make('text', child.content.slice(at, match.index), child.level));
      at = match.index + match[0].length;
      if (!slot) continue;
      if (slot.block) {
        const marker = make('bb_block', '', child.level);
        marker.meta = slot;
        out.push(marker);
      } else {
        for (const piece of slot.pieces) out.push(make(piece.type === 'html' ? 'html_inline' : 'text', piece.content, child.level));
      }
    }
    if (at < child.content.length) out.push(make('text', child.content.slice(at), child.level));
  }
  return out;
}

/** An <a> inside an <a> is invalid HTML: markdown-it's inline linkify has already linked
 * URLs typed inside [url=...]...[/url] (and Markdown links can sit in BBCode ones, or the
 * reverse). Keep the outermost link of each nest; inner ones keep only their text. */
function dropNestedLinks(children: Token[]): Token[] {
  const out: Token[] = [];
  const kept: boolean[] = [];
  let depth = 0;
  for (const child of children) {
    const html = child.type === 'html_inline' ? child.content : '';
    if (child.type === 'link_open' || /^<a[\s>]/i.test(html)) {
      const keep = depth === 0;
      kept.push(keep);
      if (!keep) continue;
      depth++;
    } else if (child.type === 'link_close' || /^<\/a\s*>$/i.test(html)) {
      // A close with no open in this paragraph (a [url] spanning paragraphs) is kept.
      const keep = kept.length > 0 ? kept.pop()! : true;
      if (!keep) continue;
      depth = Math.max(0, depth - 1);
    }
    out.push(child);
  }
  return out;
}

function slotHtml(slot: Slot): string {
  return slot.pieces.map((piece) => (piece.type === 'html' ? piece.content : escapeHtml(piece.content))).join('');
}

function isBlankInline(token: Token): boolean {
  return token.type === 'softbreak' || token.type === 'hardbreak' || (token.type === 'text' && token.content.trim() === '');
}

function trimSegment(segment: Token[]): Token[] {
  let from = 0;
  let to = segment.length;
  while (from < to && isBlankInline(segment[from])) from++;
  while (to > from && isBlankInline(segment[to - 1])) to--;
  const kept = segment.slice(from, to);
  if (kept[0]?.type === 'text') kept[0].content = kept[0].content.trimStart();
  const last = kept[kept.length - 1];
  if (last?.type === 'text') last.content = last.content.trimEnd();
  return kept;
}

/** paragraph_open, inline[..., block slot, ...], paragraph_close becomes
 * paragraph(...), html_block, paragraph(...): a <blockquote> never sits inside a <p>. */
function splitAroundBlocks(state: StateCore): void {
  const tokens = state.tokens;
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const children = token.type === 'inline' ? token.children : null;
    if (!children || !children.some((child) => child.type === 'bb_block')) {
      out.push(token);
      continue;
    }
    const open = tokens[i - 1];
    const close = tokens[i + 1];
    const splittable = (open?.type === 'paragraph_open' || open?.type === 'heading_open') && close?.nesting === -1;
    if (!splittable) {
      // e.g. renderInline: no block context to split, so keep the HTML inline.
      for (const child of children) {
        if (child.type === 'bb_block') {
          child.type = 'html_inline';
          child.content = slotHtml(child.meta as Slot);
        }
      }
      out.push(token);
      continue;
    }
    out.pop(); // the opening token, re-emitted per segment below
    let segment: Token[] = [];
    let previous: Slot | null = null;
    const flush = (next: Slot | null) => {
      const kept = trimSegment(segment);
      segment = [];
      if (kept.length === 0) return;
      const hidden = open.hidden || Boolean(previous?.opensItem && (next === null || next.closesItem));
      // Only the text before the first block stays a heading; the rest is ordinary prose.
      const [openType, closeType, tag] =
        open.type === 'heading_open' && previous ? ['paragraph_open', 'paragraph_close', 'p'] : [open.type, close.type, open.tag];
      const inline = new state.Token('inline', '', 0);
      inline.children = kept;
      inline.content = '';
      inline.level = token.level;
      inline.map = token.map;
      out.push(Object.assign(new state.Token(openType, tag, 1), { level: open.level, block: true, hidden, map: open.map }));
      out.push(inline);
      out.push(Object.assign(new state.Token(closeType, tag, -1), { level: close.level, block: true, hidden }));
    };
    for (const child of children) {
      if (child.type !== 'bb_block') {
        segment.push(child);
        continue;
      }
      const slot = child.meta as Slot;
      flush(slot);
      const block = new state.Token('html_block', '', 0);
      block.content = slot.opensItem ? slotHtml(slot) : `${slotHtml(slot)}\n`;
      block.block = true;
      block.level = open.level;
      out.push(block);
      previous = slot;
    }
    flush(null);
    i++; // the closing token was re-emitted per segment
  }
  state.tokens = out;
}

function resolvePlaceholders(state: StateCore): void {
  const slots = (state.env as Partial<Env>).bbSlots;
  if (!slots || slots.length === 0) return;
  for (const token of state.tokens) {
    if (token.type === 'fence' || token.type === 'code_block') {
      token.content = restoreSource(token.content, slots);
      token.info = restoreSource(token.info, slots);
    } else if (token.type === 'inline' && token.children) {
      token.children = dropNestedLinks(expandInline(state, token.children, slots));
    }
  }
  splitAroundBlocks(state);
}

/** Only http(s), mailto and scheme-less (relative) URLs; markdown-it's default lets
 * some data:image URLs through. */
function isAllowedMarkdownUrl(url: string): boolean {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
  return !scheme || ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase());
}

function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt('default', { html: false, linkify: true, breaks: true });
  md.disable('table'); // tables are not in the allow-list; leave the pipes as typed
  md.validateLink = isAllowedMarkdownUrl;
  md.core.ruler.after('inline', 'bbcode_placeholders', resolvePlaceholders);
  // phpBB's smilies, as emoji characters: `:smile:` shortcodes and `:)`-style shortcuts in text
  // (never in code); plain characters, so nothing new passes the allow-list.
  md.use(emoji);
  return md;
}

const markdown = createMarkdown();

// ---------------------------------------------------------------------------------
// Pass 4: the allow-list

const LINK_ATTRS = ['href', 'title', 'rel', 'target'];
const COLOR_STYLE = [/^#[0-9a-f]{3}(?:[0-9a-f]{3})?$/i, /^[a-z]{3,20}$/i];
const forceLinkAttrs = sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener', target: '_blank' });
const onlyHttpImages = (frame: sanitizeHtml.IFrame) => frame.tag === 'img' && !/^https?:\/\//i.test(frame.attribs.src ?? '') && !ATTACHMENT_PATH.test(frame.attribs.src ?? '');

const bodyPolicy: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'strong', 'em', 'u', 's', 'del', 'blockquote', 'cite', 'code', 'pre',
    'ul', 'ol', 'li', 'a', 'img', 'h4', 'h5', 'h6', 'hr', 'span',
  ],
  allowedAttributes: { a: LINK_ATTRS, img: ['src', 'alt'], span: ['style'], ol: ['start'] },
  allowedStyles: { span: { color: COLOR_STYLE, 'font-size': [/^(?:[5-9]\d|1\d\d|200)%$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Headings shift down three levels so a post cannot out-shout the page: # -> h4, ### and below -> h6.
  transformTags: { h1: 'h4', h2: 'h5', h3: 'h6', h4: 'h6', h5: 'h6', a: forceLinkAttrs },
  exclusiveFilter: onlyHttpImages,
};

const signaturePolicy: sanitizeHtml.IOptions = {
  allowedTags: ['br', 'strong', 'em', 'u', 's', 'del', 'code', 'a', 'span'],
  allowedAttributes: { a: LINK_ATTRS, span: ['style'] },
  allowedStyles: { span: { color: COLOR_STYLE } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: forceLinkAttrs },
};

/** The body allow-list on its own, e.g. to re-clean stored HTML after a policy change. */
export function sanitizeBodyHtml(html: string): string {
  return sanitizeHtml(html, bodyPolicy);
}

/** The signature allow-list on its own: inline formatting, links and line breaks. */
export function sanitizeSignatureHtml(html: string): string {
  return sanitizeHtml(html, signaturePolicy);
}

// ---------------------------------------------------------------------------------

function normalize(source: string): string {
  // \t and \n stay; every other C0 control goes, which also makes placeholders unforgeable.
  return source.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function finish(html: string, slots: Slot[]): string {
  // Placeholders that landed where no token could take them (a link title, say) show as typed.
  return html.replace(PLACEHOLDER_RE, (match, id: string) => escapeHtml(slots[Number(id)]?.source ?? ''));
}

/** Markdown + phpBB BBCode -> sanitized HTML, for post bodies. */
export function renderBody(source: string): string {
  const text = normalize(source);
  const env: Env = { bbSlots: [] };
  const withPlaceholders = bbcodeToPlaceholders(text, 'body', env.bbSlots);
  return sanitizeBodyHtml(finish(markdown.render(withPlaceholders, env), env.bbSlots));
}

/** Signatures: the same pipeline, inline only. Bold/italic/underline/strike, code spans,
 * links and colour survive; images, quotes, lists, headings and sizes do not, and runs
 * of blank lines collapse to a single line break. */
export function renderSignature(source: string): string {
  const text = normalize(source).replace(/\n(?:[ \t]*\n)+/g, '\n').trim();
  const env: Env = { bbSlots: [] };
  const withPlaceholders = bbcodeToPlaceholders(text, 'signature', env.bbSlots);
  return sanitizeSignatureHtml(finish(markdown.renderInline(withPlaceholders, env), env.bbSlots));
}
