/** A topic's address in this client, wherever it appears: `/t/<id>`, alone or in a full URL, with a page or a post after it. */
const TOPIC_PATH = /(?:^|\/)t\/([a-f0-9]{24})(?:[/?#]|$)/i;
const ID = /^[a-f0-9]{24}$/i;

/**
 * The topic a moderator named when asked "which topic?": its id, or its address copied from the
 * browser (`https://board.example/t/<id>?page=2#p…`, `/t/<id>`). null when the text names none.
 */
export function topicIdFrom(text: string): string | null {
  const given = text.trim();
  if (ID.test(given)) return given.toLowerCase();
  return TOPIC_PATH.exec(given)?.[1].toLowerCase() ?? null;
}
