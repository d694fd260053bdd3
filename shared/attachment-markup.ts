import type { Attachment } from './schemas.js';

/**
 * What a post says to show an attachment: an image inline (`[img]`), any other file as a link
 * named after it. The web client's forms insert this; bots may post it the same way.
 */
export function attachmentMarkup(a: Pick<Attachment, 'url' | 'name' | 'type'>): string {
  if (a.type.startsWith('image/')) return `[img]${a.url}[/img]`;
  return `[url=${a.url}]${a.name.replace(/[[\]]/g, '')}[/url]`;
}
