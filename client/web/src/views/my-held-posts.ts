import type { QueueDecidedEvent, QueuedPost } from '../../../sdk/index.js';
import { byData, h, trustedHtml } from '../dom.js';
import { formatDateTime } from '../format.js';
import { paths } from '../router.js';
import type { WebContext } from '../context.js';
import { followMyQueue, type MyQueueView } from '../live/my-queue.js';

export const AWAITING_APPROVAL = 'Awaiting a moderator’s approval';

/**
 * The member's own posts awaiting approval, where they would appear: held replies after a
 * topic's posts (subject, the post as it will show, when), held new topics on their forum's page
 * (title, when). Each is marked as awaiting a moderator. Approved, it leaves (the post itself
 * arrives as any post does); rejected, a line takes its place, with the moderator's reason and,
 * when they sent one, a link to their private message about it. Hidden while empty.
 */
export function myHeldPosts(kind: 'reply' | 'topic'): MyQueueView & { el: HTMLElement } {
  const el = h('section', { class: 'my-held', 'aria-label': kind === 'topic' ? 'Your topics awaiting approval' : 'Your posts awaiting approval', hidden: true });

  const shownOf = (id: string): HTMLElement | undefined => byData(el, 'queued-id', id)[0];
  const update = () => (el.hidden = el.children.length === 0);

  function item(post: QueuedPost): HTMLElement {
    const body = kind === 'reply' ? h('div', { class: 'content held-body' }) : null;
    if (body) trustedHtml(body, post.bodyHtml); // the server's sanitized HTML, as the post will show
    return h(
      'article',
      { class: 'held-post panel', 'data-queued-id': post.id, 'data-kind': post.kind },
      h('h3', { class: 'held-subject' }, kind === 'topic' ? post.topicTitle : post.subject),
      h(
        'p',
        { class: 'meta held-meta' },
        h('span', { class: 'badge held-badge' }, AWAITING_APPROVAL),
        ' ',
        h('time', { datetime: post.createdAt }, formatDateTime(post.createdAt)),
        post.hasPoll ? h('span', { class: 'badge poll' }, 'Has a poll') : null,
      ),
      body,
    );
  }

  function add(post: QueuedPost): void {
    const shown = shownOf(post.id);
    if (shown?.classList.contains('held-post')) return;
    if (shown) shown.replaceWith(item(post));
    else el.append(item(post));
    update();
  }

  return {
    el,
    add,
    set(posts) {
      const ids = new Set(posts.map((p) => p.id));
      for (const shown of el.querySelectorAll<HTMLElement>('.held-post')) if (!ids.has(shown.dataset.queuedId ?? '')) shown.remove();
      for (const post of posts) add(post);
      update();
    },
    decided(event: QueueDecidedEvent) {
      const shown = shownOf(event.id);
      if (event.outcome === 'approved') shown?.remove();
      else {
        const what = kind === 'topic' ? `Your topic “${event.post.topicTitle}” was not approved` : 'Your post was not approved';
        const told = event.conversationId ? [' ', h('span', { class: 'held-told' }, 'A moderator sent you a ', h('a', { href: paths.conversation(event.conversationId) }, 'private message'), '.')] : [];
        const line = h('p', { class: 'notice held-rejected', role: 'status', 'data-queued-id': event.id }, event.reason ? `${what}: ${event.reason}${/[.!?…]$/.test(event.reason) ? '' : '.'}` : `${what}.`, ...told);
        if (shown) shown.replaceWith(line);
        else el.append(line);
      }
      update();
    },
  };
}

/**
 * For a signed-in member, the block of their own held posts that `mine` picks (this topic's
 * replies, this forum's new topics), fetched and kept live; `add` shows one this tab's form was
 * just answered with (202). Null for a guest.
 */
export function myHeldBlock(ctx: WebContext, kind: 'reply' | 'topic', mine: (post: QueuedPost) => boolean): { el: HTMLElement; add(post: QueuedPost): void; dispose(): void } | null {
  if (!ctx.session) return null;
  const view = myHeldPosts(kind);
  const follow = followMyQueue({ client: ctx.client, api: ctx.api }, mine, view);
  return { el: view.el, add: follow.add, dispose: follow.dispose };
}
