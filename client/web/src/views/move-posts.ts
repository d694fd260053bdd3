import type { Forum, Topic } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { topicIdFrom } from '../topic-ref.js';
import { forumsInTreeOrder } from './forum-tree.js';
import type { PostSelection } from './post-select.js';
import { onSubmit } from './submit.js';

type Moved = { topic: Topic; moved: number };

/**
 * phpBB's "Split topic" and "Move posts", in the moderator tools: the replies ticked on the page
 * become a new topic (titled, in a forum of the moderator's choosing, this one by default), or go
 * to the end of another topic (named by its id or its address). `reason` is the tools' shared
 * reason field, sent along and emptied once used. The posts leave the page with their live
 * events; the outcome says where they went, linked.
 */
export function movePosts(ctx: WebContext, topicId: string, selection: PostSelection, reason: HTMLInputElement) {
  const count = h('p', { class: 'selected-count', role: 'status' });
  const title = h('input', { id: 'split-title', name: 'title', maxlength: LIMITS.titleMax, required: true });
  const forum = h('select', { id: 'split-forum', name: 'forumId' });
  const splitButton = h('button', { type: 'submit', class: 'button small' }, 'Split into a new topic');
  const splitForm = h(
    'form',
    { class: 'mod-split', 'aria-label': 'Split into a new topic' },
    h('label', { for: title.id }, 'New title'),
    title,
    h('label', { for: forum.id }, 'In forum'),
    forum,
    splitButton,
  );
  const target = h('input', { id: 'move-posts-to', name: 'toTopic', required: true, placeholder: 'Topic id, or its address (/t/…)' });
  const moveButton = h('button', { type: 'submit', class: 'button small' }, 'Move to another topic');
  const moveForm = h('form', { class: 'mod-move-posts', 'aria-label': 'Move to another topic' }, h('label', { for: target.id }, 'To topic'), target, moveButton);
  const status = h('p', { class: 'notice moved-status', role: 'status', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const el = h('fieldset', { class: 'mod-post-moves' }, h('legend', null, 'Selected replies'), count, splitForm, moveForm, status, error);
  const topicPath = () => `/topics/${encodeURIComponent(topicId)}`;
  /** Until the moderator picks a forum, a split goes to the topic's own (wherever it now is). */
  let picked = false;
  forum.addEventListener('change', () => (picked = true));

  const showCount = (n: number) => {
    count.textContent = n ? `${plural(n, 'reply', 'replies')} selected.` : 'No replies selected: tick “Select” on the replies to split or move.';
  };
  showCount(0);
  selection.listen(showCount);

  /** The ticked replies, or a refusal before anything is sent. */
  function chosen(): string[] {
    const postIds = selection.ids();
    if (postIds.length === 0) throw new Error('Select the replies first (“Select” on each reply).');
    if (postIds.length > LIMITS.movePostsMax) throw new Error(`At most ${LIMITS.movePostsMax} replies move at once.`);
    return postIds;
  }

  /** Send one split or move; on success the replies are unticked and the outcome links to where they went. */
  async function send(path: string, body: Record<string, unknown>, postIds: string[]): Promise<Moved> {
    status.hidden = true;
    const why = reason.value.trim();
    const done = await ctx.api.request<Moved>('POST', `${topicPath()}/${path}`, { ...body, postIds, ...(why && { reason: why }) });
    for (const id of postIds) selection.drop(id);
    reason.value = '';
    replaceChildren(status, `${plural(done.moved, 'post')} moved to `, h('a', { href: paths.topic(done.topic.id) }, done.topic.title), '.');
    status.hidden = false;
    return done;
  }

  onSubmit(splitForm, { button: splitButton, error, fallback: 'The posts were not split off' }, () =>
    (async () => {
      const postIds = chosen();
      await send('split', { title: title.value.trim(), ...(forum.value && { forumId: forum.value }) }, postIds);
      title.value = '';
    })(),
  );
  onSubmit(moveForm, { button: moveButton, error, fallback: 'The posts were not moved' }, () =>
    (async () => {
      const postIds = chosen();
      const toTopicId = topicIdFrom(target.value);
      if (!toTopicId) throw new Error('Name the topic by its id or its address (/t/…).');
      await send('move-posts', { toTopicId }, postIds);
      target.value = '';
    })(),
  );

  return {
    el,
    /** Redraw for the topic as it now stands (a deleted topic keeps its posts) and the forums a split may go to. */
    update(topic: Topic, forums: Forum[]): void {
      el.hidden = !!topic.deleted;
      const was = forum.value;
      replaceChildren(
        forum,
        forumsInTreeOrder(forums).map(({ forum: f, depth }) => h('option', { value: f.id }, `${'\u00a0\u00a0\u00a0'.repeat(depth)}${f.title}${f.id === topic.forumId ? ' (this forum)' : ''}`)),
      );
      const options = [...forum.options].map((o) => o.value);
      forum.value = picked && options.includes(was) ? was : options.includes(topic.forumId) ? topic.forumId : (options[0] ?? '');
    },
  };
}
