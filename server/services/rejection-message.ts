import { LIMITS } from '../../shared/limits.js';
import type { QueuedPost } from '../../shared/schemas.js';

/** A fence longer than any run of backticks in the text, so the text shows verbatim inside it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The private message that tells a member their held post was rejected: where it was for, the
 * moderator's reason, and their own text verbatim (in a code block, to copy, change and post
 * again), cut to fit a message if it must.
 */
export function rejectionMessage(post: QueuedPost, reason: string | undefined): { title: string; body: string } {
  const what = post.kind === 'topic' ? `Your new topic "${post.topicTitle}"` : `Your reply to "${post.topicTitle}"`;
  const title = `Not approved: ${post.subject}`.slice(0, LIMITS.titleMax);
  const head = `${what} was not approved by a moderator.\n\n${reason ? `Reason: ${reason}\n\n` : ''}Your text, to change and post again:\n\n`;
  const fence = fenceFor(post.body);
  const room = LIMITS.bodyMax - head.length - 2 * fence.length - 4;
  const text = post.body.length > room ? `${post.body.slice(0, room - 1)}…` : post.body;
  return { title, body: `${head}${fence}\n${text}\n${fence}` };
}
