import { LIMITS } from '../../shared/limits.js';

/** A markdown link's text: brackets and backslashes escaped so a subject cannot end the link early. */
const linkText = (text: string) => text.replace(/[\\[\]]/g, (c) => `\\${c}`);

/**
 * The private message that tells a member of a moderator's warning (phpBB sends one): the reason,
 * the post it was for (linked where the web client opens it), and until when it counts.
 */
export function warningMessage(input: { reason: string; post?: { id: string; topicId: string; subject: string }; expiresAt: Date }): { title: string; body: string } {
  const about = input.post ? ` for your post [${linkText(input.post.subject)}](/t/${input.post.topicId}?post=${input.post.id}#p${input.post.id})` : '';
  const body = `A moderator has warned you${about}.\n\nReason: ${input.reason}\n\nThis warning counts until ${input.expiresAt.toISOString().slice(0, 10)}. Please read the board's rules; further warnings may lead to a ban.`;
  return { title: 'You have received a warning', body: body.slice(0, LIMITS.bodyMax) };
}
