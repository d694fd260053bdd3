/**
 * Crawler signatures, matched case-insensitively as substrings of the User-Agent (as phpBB's
 * bot list does). Substrings rather than regexes: a configured list can never cost more than
 * a linear scan, whatever it holds.
 */
export interface CrawlerSignature {
  /** A piece of the User-Agent, e.g. "bingbot". */
  pattern: string;
  /** What the board shows, without the suffix, e.g. "Bing" (shown as "Bing [Bot]"). */
  name: string;
}

export const DEFAULT_CRAWLERS: ReadonlyArray<CrawlerSignature> = [
  { pattern: 'Googlebot', name: 'Google' },
  { pattern: 'Google-InspectionTool', name: 'Google' },
  { pattern: 'AdsBot-Google', name: 'Google Adwords' },
  { pattern: 'Mediapartners-Google', name: 'Google Adsense' },
  { pattern: 'bingbot', name: 'Bing' },
  { pattern: 'msnbot', name: 'MSN' },
  { pattern: 'MJ12bot', name: 'Majestic-12' },
  { pattern: 'AhrefsBot', name: 'Ahrefs' },
  { pattern: 'YandexBot', name: 'Yandex' },
  { pattern: 'Baiduspider', name: 'Baidu' },
  { pattern: 'DuckDuckBot', name: 'DuckDuckGo' },
  { pattern: 'Applebot', name: 'Applebot' },
  { pattern: 'SemrushBot', name: 'Semrush' },
  { pattern: 'facebookexternalhit', name: 'Facebook' },
  { pattern: 'Slurp', name: 'Yahoo' },
  { pattern: 'PetalBot', name: 'Petal' },
  { pattern: 'DotBot', name: 'Moz' },
  { pattern: 'Twitterbot', name: 'Twitter' },
  { pattern: 'GPTBot', name: 'OpenAI' },
  { pattern: 'CCBot', name: 'Common Crawl' },
];

export const BOT_SUFFIX = ' [Bot]';
export const botDisplayName = (name: string) => `${name}${BOT_SUFFIX}`;

/** The crawler a User-Agent belongs to (its bare name), or null for anything else. */
export function createCrawlerDetector(signatures: ReadonlyArray<CrawlerSignature>) {
  const lowered = signatures.filter((s) => s.pattern.length > 0).map((s) => ({ needle: s.pattern.toLowerCase(), name: s.name }));
  return function detect(userAgent: string | undefined | null): string | null {
    if (!userAgent) return null;
    const ua = userAgent.slice(0, 1024).toLowerCase();
    for (const s of lowered) if (ua.includes(s.needle)) return s.name;
    return null;
  };
}
export type CrawlerDetector = ReturnType<typeof createCrawlerDetector>;
