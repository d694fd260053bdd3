import { LIMITS } from '../../../shared/limits.js';

export type TagCheck = { ok: true; tags: string[] } | { ok: false; message: string };

/** What a Tags field says of the rules (shared/limits.ts, shared/schemas.ts `tagName`). */
export const TAG_HINT = `Up to ${LIMITS.tagsPerTopic} tags, separated by commas or spaces; each at most ${LIMITS.tagMax} letters or digits, words joined by dashes (e.g. wifi-drops).`;

/**
 * Tags as typed ("Linux, wifi-drops  network") as the list the server takes: split at commas and
 * spaces, in lower case (as the server keeps them), each once. How many there are and how long
 * each is are checked here against the shared limits, so the member is told at once; which
 * characters a tag may hold is left to the server, whose refusal is shown as it words it.
 */
export function readTags(text: string): TagCheck {
  const tags = [...new Set(text.split(/[\s,]+/).map((t) => t.toLowerCase()).filter(Boolean))];
  if (tags.length > LIMITS.tagsPerTopic) return { ok: false, message: `At most ${LIMITS.tagsPerTopic} tags: there are ${tags.length}.` };
  const long = tags.find((t) => t.length > LIMITS.tagMax);
  if (long) return { ok: false, message: `“${long}” is too long: a tag is at most ${LIMITS.tagMax} characters.` };
  return { ok: true, tags };
}
