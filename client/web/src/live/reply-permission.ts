import type { Topic } from '../../../sdk/index.js';
import type { Api } from '../api.js';

/**
 * Whether a topic's forum lets this member reply, from the server's `may.reply` (which also says
 * no for a lock or a deletion; the page's lock rule covers those from the live events). Unknown
 * (undefined) when `may` was read while the topic was closed to them. Events carry no `may`: it
 * is read again only when it may have changed, after a move to another forum, or once the topic
 * opens with the forum's answer unknown, not on every change to the topic.
 */
export function replyPermission(api: Api, topicId: string, moderator: boolean, changed: () => void) {
  let forumLetsReply: boolean | undefined;
  let readFor: { forumId: string; open: boolean } | null = null;
  let alive = true;
  const isOpen = (topic: Topic) => !topic.deleted && (!topic.locked || moderator);

  function note(topic: Topic): void {
    const open = isOpen(topic);
    forumLetsReply = open || topic.may?.reply ? topic.may?.reply : undefined;
    readFor = { forumId: topic.forumId, open };
  }

  async function readAgain(): Promise<void> {
    try {
      const data = await api.get<{ topic: Topic }>(`/topics/${encodeURIComponent(topicId)}`);
      if (!alive) return;
      note(data.topic);
      changed();
    } catch {
      /* the topic is gone or the server unreachable: the page says so through its events */
    }
  }

  return {
    /** A REST answer's topic (with `may`): what the server says now. */
    note,
    /** True when the forum is known to refuse this member's replies. */
    refused: () => forumLetsReply === false,
    /** A live change to the topic: read `may` again if it may have changed. */
    topicChanged(topic: Topic): void {
      if (readFor && (topic.forumId !== readFor.forumId || (isOpen(topic) && !readFor.open && forumLetsReply === undefined))) void readAgain();
    },
    dispose(): void {
      alive = false;
    },
  };
}
