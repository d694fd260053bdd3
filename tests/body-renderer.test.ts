// Pure unit tests for the post body / signature renderer: no server, no database.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_BBCODE_DEPTH,
  renderBody,
  renderSignature,
  sanitizeBodyHtml,
} from '../server/render/body-renderer.js';

/** Every start tag in the output, e.g. `<a href="...">`. Escaped text (`&lt;img`) is not a tag. */
function startTags(html: string): string[] {
  return html.match(/<[a-z][a-z0-9]*\b[^>]*>/gi) ?? [];
}

function tagNames(html: string): Set<string> {
  return new Set(startTags(html).map((tag) => /^<([a-z0-9]+)/i.exec(tag)![1].toLowerCase()));
}

/** Values of one attribute across all start tags, entity-decoded as a browser would. */
function attrValues(html: string, name: string): string[] {
  const re = new RegExp(`\\s${name}="([^"]*)"`, 'gi');
  return startTags(html).flatMap((tag) => [...tag.matchAll(re)]).map((m) =>
    m[1]
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
}

function expectNoEventHandlers(html: string): void {
  for (const tag of startTags(html)) expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
}

function expectNoDangerousUrls(html: string): void {
  for (const url of [...attrValues(html, 'href'), ...attrValues(html, 'src')]) {
    // Browsers ignore whitespace and control characters inside a scheme.
    const compact = url.replace(/[\u0000-\u0020]/g, '').toLowerCase();
    expect(compact).not.toMatch(/^(?:javascript|vbscript|data|file):/);
  }
}

const BODY_TAGS = new Set(['p', 'br', 'strong', 'em', 'u', 's', 'del', 'blockquote', 'cite', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'img', 'h4', 'h5', 'h6', 'hr', 'span']);
const SIGNATURE_TAGS = new Set(['br', 'strong', 'em', 'u', 's', 'del', 'code', 'a', 'span']);

describe('renderBody: formatting', () => {
  it('renders bold and italic from Markdown', () => {
    expect(renderBody('**bold** and *it* and _it2_')).toBe(
      '<p><strong>bold</strong> and <em>it</em> and <em>it2</em></p>\n',
    );
  });

  it('renders bold, italic, underline and strike from BBCode, case-insensitively', () => {
    expect(renderBody('[b]bold[/b] [i]it[/i] [u]under[/u] [s]gone[/s] [B]loud[/B]')).toBe(
      '<p><strong>bold</strong> <em>it</em> <u>under</u> <s>gone</s> <strong>loud</strong></p>\n',
    );
  });

  it('mixes Markdown inside BBCode and BBCode inside Markdown', () => {
    expect(renderBody('[b]some *mixed* text[/b]')).toBe('<p><strong>some <em>mixed</em> text</strong></p>\n');
    expect(renderBody('**[i]both[/i]**')).toBe('<p><strong><em>both</em></strong></p>\n');
  });

  it('renders [quote="name"] as a blockquote with a cite, outside any paragraph', () => {
    expect(renderBody('[quote="alice"]hi[/quote]')).toBe(
      '<blockquote><cite>alice wrote:</cite>\n<p>hi</p>\n</blockquote>\n',
    );
    expect(renderBody('before [quote]one\n\ntwo **2**[/quote] after')).toBe(
      '<p>before</p>\n<blockquote>\n<p>one</p>\n<p>two <strong>2</strong></p>\n</blockquote>\n<p>after</p>\n',
    );
  });

  it('reads the author from phpBB 3.2 style quotes and escapes it', () => {
    expect(renderBody('[quote="bob" post_id=12 time=1700000000 user_id=3]x[/quote]')).toContain('<cite>bob wrote:</cite>');
    const html = renderBody('[quote="<b>eve</b>"]x[/quote]');
    expect(html).toContain('<cite>&lt;b&gt;eve&lt;/b&gt; wrote:</cite>');
    expect(tagNames(html).has('b')).toBe(false);
  });

  it('nests quotes', () => {
    expect(renderBody('[quote]\n[quote=bob]\ninner\n[/quote]\nouter\n[/quote]')).toBe(
      '<blockquote>\n<blockquote><cite>bob wrote:</cite>\n<p>inner</p>\n</blockquote>\n<p>outer</p>\n</blockquote>\n',
    );
  });

  it('turns [url=...] into a link forced to rel="nofollow ugc noopener" and target="_blank"', () => {
    expect(renderBody('[url=https://x.org]x[/url]')).toBe(
      '<p><a href="https://x.org" rel="nofollow ugc noopener" target="_blank">x</a></p>\n',
    );
  });

  it('forces the same rel on [url]bare[/url], Markdown links and linkified URLs, without nesting links', () => {
    const html = renderBody('[url]https://a.org/?q=1&r=2[/url] [md](https://b.org) https://c.org [url=https://d.org]https://d.org[/url]');
    expect(attrValues(html, 'href')).toEqual(['https://a.org/?q=1&r=2', 'https://b.org', 'https://c.org', 'https://d.org']);
    expect(attrValues(html, 'rel')).toEqual(Array(4).fill('nofollow ugc noopener'));
    expect(attrValues(html, 'target')).toEqual(Array(4).fill('_blank'));
    expect(html).not.toMatch(/<a [^>]*>[^<]*<a /);
  });

  it('turns newlines into <br>', () => {
    expect(renderBody('line one\nline two')).toMatch(/^<p>line one<br \/>\nline two<\/p>\n$/);
  });

  it('renders [list] and [*]', () => {
    expect(renderBody('[list]\n[*]one\n[*]two **2**\n[/list]')).toBe(
      '<ul>\n<li>one</li><li>two <strong>2</strong></li></ul>\n',
    );
    expect(renderBody('[list=1][*]a[*]b[/list]')).toBe('<ol>\n<li>a</li><li>b</li></ol>\n');
  });

  it('renders [code] as an escaped block, with BBCode and Markdown inside left alone', () => {
    expect(renderBody('[code]if (a < b && [b]c[/b]) **d**[/code]')).toBe(
      '<pre><code>if (a &lt; b &amp;&amp; [b]c[/b]) **d**</code></pre>\n',
    );
  });

  it('keeps BBCode literal inside Markdown code spans and fences', () => {
    expect(renderBody('`[b]x[/b]`')).toBe('<p><code>[b]x[/b]</code></p>\n');
    expect(renderBody('```\n[quote]q[/quote]\n```')).toBe('<pre><code>[quote]q[/quote]\n</code></pre>\n');
  });

  it('renders bounded [color] and [size] as styled spans', () => {
    expect(renderBody('[color=#ff0000]red[/color] [color=Blue]blue[/color] [size=150]big[/size] [size=900]capped[/size]')).toBe(
      '<p><span style="color:#ff0000">red</span> <span style="color:blue">blue</span> ' +
        '<span style="font-size:150%">big</span> <span style="font-size:200%">capped</span></p>\n',
    );
  });

  it('renders [img] with an http(s) source', () => {
    expect(renderBody('[img]https://i.example/a.png[/img]')).toBe('<p><img src="https://i.example/a.png" alt="" /></p>\n');
  });

  it('shows unclosed or mismatched BBCode as typed', () => {
    expect(renderBody('[b]never closed')).toBe('<p>[b]never closed</p>\n');
    expect(renderBody('[b][i]x[/b][/i]')).toBe('<p>[b][i]x[/b][/i]</p>\n');
    expect(renderBody("[foo  bar='x'] [*] stray")).toBe("<p>[foo  bar='x'] [*] stray</p>\n");
  });

  it('downgrades headings so a post cannot out-shout the page', () => {
    expect(renderBody('# one\n## two\n### three\n#### four')).toBe(
      '<h4>one</h4>\n<h5>two</h5>\n<h6>three</h6>\n<h6>four</h6>\n',
    );
  });

  it('is deterministic', () => {
    const source = '[quote="a"]**x** [url=https://x.org]y[/url][/quote]\n`z` https://w.org';
    expect(renderBody(source)).toBe(renderBody(source));
  });
});

describe('renderBody: hostile input', () => {
  it('shows raw <img onerror> as escaped text only', () => {
    const html = renderBody('<img src=x onerror=alert(1)>');
    expect(html).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
    expect(tagNames(html).has('img')).toBe(false);
    expectNoEventHandlers(html);
  });

  it('never emits a script element', () => {
    const html = renderBody('<script>alert(1)</script>\n\n[code]<script>alert(2)</script>[/code]\n\n`<script>`');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it.each([
    '[url=javascript:alert(1)]x[/url]',
    '[url=JaVaScRiPt:alert(1)]x[/url]',
    '[url]javascript:alert(1)[/url]',
    '[url=" javascript:alert(1)"]x[/url]',
    '[javascript link](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '<javascript:alert(1)>',
  ])('no javascript:/vbscript: href from %j', (source) => {
    const html = renderBody(source);
    expectNoDangerousUrls(html);
    expect(attrValues(html, 'href')).toEqual([]);
  });

  it('drops [img] with a javascript:, data:, relative or protocol-relative source', () => {
    for (const source of [
      '[img]javascript:alert(1)[/img]',
      '[img]data:image/png;base64,iVBORw0KGgo=[/img]',
      '[img]x.png[/img]',
      '[img]//evil.example/x.png[/img]',
      '[img]https://i.example/a.png" onerror="alert(1)[/img]',
    ]) {
      const html = renderBody(source);
      expect(html, source).toBe('');
    }
  });

  it('drops data: URIs from links and images in both syntaxes', () => {
    const html = renderBody(
      '[url=data:text/html,<script>alert(1)</script>]a[/url] [b](data:text/html;base64,PHNjcmlwdD4=) ' +
        '![c](data:image/png;base64,iVBORw0KGgo=) ![d](data:image/svg+xml,<svg onload=alert(1)>)',
    );
    expectNoDangerousUrls(html);
    expect(tagNames(html).has('img')).toBe(false);
    expect(attrValues(html, 'href')).toEqual([]);
    expectNoEventHandlers(html);
  });

  it('does not let [url] attributes inject new attributes', () => {
    for (const source of [
      '[url="x" onmouseover="alert(1)"]x[/url]',
      '[url="https://x.org" onmouseover="alert(1)"]x[/url]',
      '[url=https://x.org onmouseover=alert(1)]x[/url]',
      "[url='https://x.org'onmouseover='alert(1)']x[/url]",
    ]) {
      const html = renderBody(source);
      expectNoEventHandlers(html);
      expectNoDangerousUrls(html);
      for (const tag of startTags(html)) expect(tag, source).toMatch(/^<(?:p|a href="https:\/\/x\.org" rel="nofollow ugc noopener" target="_blank")>$/);
    }
  });

  it('does not let [color]/[size] inject attributes or arbitrary CSS', () => {
    for (const source of [
      '[color=red" onclick="x]t[/color]',
      '[color=red;background:url(https://evil.example/x)]t[/color]',
      '[color=expression(alert(1))]t[/color]',
      '[size=100;position:fixed]t[/size]',
      '[size=150" onclick="x]t[/size]',
    ]) {
      const html = renderBody(source);
      expectNoEventHandlers(html);
      expect(html, source).not.toMatch(/style=/);
    }
  });

  it('ignores control characters that could forge internal placeholders', () => {
    const html = renderBody('a\u00010\u0002b [b]x[/b] \u0001999\u0002');
    expect(html).toBe('<p>a0b <strong>x</strong> 999</p>\n');
  });

  it('finishes 5,000 nested quotes fast with bounded output', () => {
    const depth = 5000;
    const source = '[quote="a"]'.repeat(depth) + 'deep' + '[/quote]'.repeat(depth);
    const started = performance.now();
    const html = renderBody(source);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1000);
    expect(html.match(/<blockquote>/g)).toHaveLength(MAX_BBCODE_DEPTH);
    expect(html.match(/<\/blockquote>/g)).toHaveLength(MAX_BBCODE_DEPTH);
    expect(html).toContain('<p>deep</p>');
    expect(html).not.toContain('[quote');
    expect(html.length).toBeLessThan(2000);
  });

  it('stays fast on other pathological shapes', () => {
    for (const source of [
      '[quote]'.repeat(8500),
      '[b]x[/b]'.repeat(7500),
      '[list]' + '[*]'.repeat(19000) + '[/list]',
      '*a'.repeat(30000),
      '['.repeat(60000),
      '>'.repeat(60000),
      '[url=https://x.org]'.repeat(3000),
    ]) {
      const started = performance.now();
      renderBody(source);
      expect(performance.now() - started, source.slice(0, 20)).toBeLessThan(1000);
    }
  });

  it('only ever emits allow-listed tags, no handlers, no dangerous URLs (property)', () => {
    const pieces = [
      '[b]', '[/b]', '[i]', '[/i]', '[quote]', '[quote="x"]', '[/quote]', '[list]', '[/list]', '[*]',
      '[url=https://a.org]', '[url=javascript:alert(1)]', '[/url]', '[url]', '[img]', '[/img]', '[code]', '[/code]',
      '[color=red]', '[color=red" onclick="x]', '[/color]', '[size=150]', '[/size]',
      '<img src=x onerror=alert(1)>', '<script>', '</script>', '<a href="javascript:x">', '&lt;', '&#106;',
      'javascript:alert(1)', 'data:text/html,x', 'https://x.org', '**', '*', '_', '`', '```', '\n', '\n\n',
      '> ', '- ', '# ', '1. ', '[', ']', '(', ')', '![', '"', "'", ' onmouseover=', 'text', ' ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const html = renderBody(parts.join(''));
        for (const name of tagNames(html)) expect(BODY_TAGS.has(name), name).toBe(true);
        expectNoEventHandlers(html);
        expectNoDangerousUrls(html);
        expect(html).not.toMatch(/[\u0000-\u0008]/);
      }),
      { numRuns: 300, seed: 20240601 },
    );
  });
});

describe('the sanitizer is the safety net', () => {
  it('removes hostile HTML that earlier passes might let through', () => {
    const html = sanitizeBodyHtml(
      '<a href="javascript:alert(1)" onclick="x">a</a><img src="x" onerror="y"><img src="https://i.example/b.png" onerror="z">' +
        '<script>s()</script><style>p{}</style><iframe src="https://x.org"></iframe><p class="c" style="color:red">p</p>' +
        '<span style="color:red;position:fixed" class="k">s</span><a href="data:text/html,x">d</a><h1>h</h1>',
    );
    expect(html).toBe(
      '<a rel="nofollow ugc noopener" target="_blank">a</a><img src="https://i.example/b.png" />' +
        '<p>p</p><span style="color:red">s</span><a rel="nofollow ugc noopener" target="_blank">d</a><h4>h</h4>',
    );
  });

  it('strips the class markdown-it puts on fenced code and drops relative images', () => {
    expect(renderBody('```js\nx\n```')).toBe('<pre><code>x\n</code></pre>\n');
    expect(renderBody('![pic](pic.png)')).toBe('<p></p>\n');
  });
});

describe('smilies (emoji)', () => {
  it('turns :shortcodes: and :)-style shortcuts in text into emoji characters', () => {
    expect(renderBody('Hi :smile: and :) and ;) and :heart:')).toBe('<p>Hi 😄 and 😃 and 😉 and ❤️</p>\n');
    expect(renderSignature('Cheers :wave:')).toBe('Cheers 👋');
    expect(renderBody('[b]:thumbsup:[/b]')).toBe('<p><strong>👍</strong></p>\n');
  });

  it('leaves code, unknown names, times and URLs as typed', () => {
    expect(renderBody('`:smile:` and\n```\n:)\n```')).toBe('<p><code>:smile:</code> and</p>\n<pre><code>:)\n</code></pre>\n');
    expect(renderBody('[code]:fire:[/code]')).toBe('<pre><code>:fire:</code></pre>\n');
    expect(renderBody(':not_an_emoji: a:)b 10:30:45')).toBe('<p>:not_an_emoji: a:)b 10:30:45</p>\n');
    expect(renderBody('http://x.org/a:smile:b')).toContain('href="http://x.org/a:smile:b"');
  });

  it('adds nothing the allow-list did not already allow: characters, never tags', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(':smile:', ':)', ';)', ':heart:', '<3', ' ', 'x', '`', '[b]', '[/b]', ':', '<script>'), { maxLength: 30 }), (parts) => {
        const html = renderBody(parts.join(''));
        for (const name of tagNames(html)) expect(BODY_TAGS.has(name)).toBe(true);
        expectNoEventHandlers(html);
      }),
    );
  });
});

describe('renderSignature', () => {
  it('keeps inline formatting and links', () => {
    expect(renderSignature('**me** [i]myself[/i] [url=https://x.org]site[/url] [color=red]red[/color] `c`')).toBe(
      '<strong>me</strong> <em>myself</em> <a href="https://x.org" rel="nofollow ugc noopener" target="_blank">site</a> ' +
        '<span style="color:red">red</span> <code>c</code>',
    );
  });

  it('drops images and quotes (the quoted text stays, unformatted)', () => {
    const html = renderSignature('[img]https://i.example/a.png[/img]![m](https://i.example/b.png)[quote="x"]quoted[/quote]> md quote');
    expect(tagNames(html).has('img')).toBe(false);
    expect(tagNames(html).has('blockquote')).toBe(false);
    expect(tagNames(html).has('cite')).toBe(false);
    expect(html).toBe('quoted&gt; md quote');
  });

  it('has no block structure: no paragraphs, headings, lists or sizes, and blank lines collapse', () => {
    const html = renderSignature('# not a heading\n\n\n\n- not a list\n[list][*]a[*]b[/list] [size=200]big[/size]\n[code]x[/code]');
    for (const name of tagNames(html)) expect(SIGNATURE_TAGS.has(name), name).toBe(true);
    expect(html).toBe('# not a heading<br />\n- not a list<br />\nab big<br />\n<code>x</code>');
  });

  it('is as hostile-input safe as bodies', () => {
    const html = renderSignature(
      '<img src=x onerror=alert(1)> [url=javascript:alert(1)]x[/url] [x](javascript:alert(1)) [color=red" onclick="x]t[/color] <script>',
    );
    expect(tagNames(html)).toEqual(new Set());
    expectNoEventHandlers(html);
    expectNoDangerousUrls(html);
  });
});
