import type { Forum, Topic } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { forumsInTreeOrder } from './forum-tree.js';
import { confirmButton } from './confirm-button.js';
import { showFailure } from './submit.js';
import { movePosts } from './move-posts.js';
import { mergeTopic } from './merge-topic.js';
import type { PostSelection } from './post-select.js';


/**
 * phpBB's quick-mod tools under a topic, for moderators: lock or unlock, pin or unpin, announce (in
 * this forum or every one) or not, rename, move to another
 * forum, delete or restore, split or move the replies ticked in `selection`, merge into another
 * topic, each with an optional reason for the moderation log. The page shows
 * the outcome through the topic's live events (`topic:updated`), as every other reader sees it;
 * a refusal is shown here as the server words it.
 */
export function modTools(ctx: WebContext, topicId: string, selection: PostSelection) {
  const reason = h('input', { id: 'mod-reason', name: 'reason', maxlength: LIMITS.reasonMax, placeholder: 'Shown in the moderation log' });
  const title = h('input', { id: 'mod-title', name: 'title', maxlength: LIMITS.titleMax, required: true });
  const target = h('select', { id: 'mod-forum', name: 'forumId' });
  const buttons = h('div', { class: 'mod-buttons' });
  const status = h('p', { class: 'notice mod-status', role: 'status', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const renameForm = h('form', { class: 'mod-rename', 'aria-label': 'Rename topic' }, h('label', { for: title.id }, 'Title'), title, h('button', { type: 'submit', class: 'button small' }, 'Rename'));
  const moveForm = h('form', { class: 'mod-move', 'aria-label': 'Move topic' }, h('label', { for: target.id }, 'Move to'), target, h('button', { type: 'submit', class: 'button small' }, 'Move'));
  const postMoves = movePosts(ctx, topicId, selection, reason);
  const merge = mergeTopic(ctx, topicId, reason);
  const el = h(
    'details',
    { class: 'panel mod-tools' },
    h('summary', null, 'Moderator tools'),
    h('label', { for: reason.id }, 'Reason (optional)'),
    reason,
    buttons,
    renameForm,
    moveForm,
    status,
    error,
    postMoves.el,
    merge.el,
  );
  let topic: Topic | null = null;
  // The first reply ticked opens the tools, where the split and move are.
  let ticked = 0;
  selection.listen((count) => {
    if (ticked === 0 && count > 0) el.open = true;
    ticked = count;
  });

  /** Send one action; the page itself changes with the live event that follows. */
  async function act(method: string, path: string, body: Record<string, unknown>, done: string): Promise<void> {
    status.hidden = true;
    error.hidden = true;
    const why = reason.value.trim();
    try {
      await ctx.api.request(method, path, { ...body, ...(why && { reason: why }) });
      reason.value = '';
      status.textContent = done;
      status.hidden = false;
    } catch (err) {
      showFailure(error, err, 'The server refused');
    }
  }

  const topicPath = () => `/topics/${encodeURIComponent(topicId)}`;
  renameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = title.value.trim();
    if (!next || next === topic?.title) return;
    // A rename carries no reason (the log keeps the old and new titles).
    status.hidden = true;
    error.hidden = true;
    ctx.api.request('PATCH', topicPath(), { title: next }).then(
      () => ((status.textContent = 'Topic renamed.'), (status.hidden = false)),
      (err) => showFailure(error, err, 'The server refused'),
    );
  });
  moveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (target.value) void act('POST', `${topicPath()}/move`, { forumId: target.value }, 'Topic moved.');
  });

  /** phpBB's topic types beyond sticky: an announcement of this forum, or of every forum, and back. */
  function announcementButtons(now: Topic['announcement']): HTMLElement[] {
    const button = (label: string, path: string, body: Record<string, unknown>, done: string) => h('button', { type: 'button', class: 'button small', onclick: () => act('POST', `${topicPath()}/${path}`, body, done) }, label);
    const forum = button('Make announcement', 'announce', { scope: 'forum' }, 'Topic made an announcement of this forum.');
    const global = button('Make global announcement', 'announce', { scope: 'global' }, 'Topic made a global announcement.');
    const off = button('Remove announcement', 'unannounce', {}, 'Topic is a normal topic again.');
    if (now === 'forum') return [global, off];
    if (now === 'global') return [forum, off];
    return [forum, global];
  }

  function deleteButton(): HTMLButtonElement {
    return confirmButton({ label: 'Delete topic', armedLabel: 'Really delete?', className: 'button small danger', onConfirm: () => void act('DELETE', topicPath(), {}, 'Topic deleted.') }).el;
  }

  return {
    el,
    /** Redraw for the topic as it now stands, and the forums it may move to. */
    update(next: Topic, forums: Forum[]): void {
      topic = next;
      postMoves.update(next, forums);
      merge.update(next);
      if (document.activeElement !== title) title.value = next.title;
      const chosen = target.value;
      // In tree order, subforums indented under their forums (phpBB's jumpbox).
      const choices = forumsInTreeOrder(forums).filter(({ forum }) => forum.id !== next.forumId);
      replaceChildren(target, h('option', { value: '' }, 'Choose a forum…'), choices.map(({ forum, depth }) => h('option', { value: forum.id }, `${'\u00a0\u00a0\u00a0'.repeat(depth)}${forum.title}`)));
      target.value = [...target.options].some((o) => o.value === chosen) ? chosen : '';
      replaceChildren(
        buttons,
        next.locked
          ? h('button', { type: 'button', class: 'button small', onclick: () => act('POST', `${topicPath()}/unlock`, {}, 'Topic unlocked.') }, 'Unlock topic')
          : h('button', { type: 'button', class: 'button small', onclick: () => act('POST', `${topicPath()}/lock`, {}, 'Topic locked.') }, 'Lock topic'),
        ' ',
        next.pinned
          ? h('button', { type: 'button', class: 'button small', onclick: () => act('POST', `${topicPath()}/unpin`, {}, 'Topic unpinned.') }, 'Unpin topic')
          : h('button', { type: 'button', class: 'button small', onclick: () => act('POST', `${topicPath()}/pin`, {}, 'Topic pinned to the top of its forum.') }, 'Pin topic'),
        ' ',
        announcementButtons(next.announcement),
        ' ',
        // A merged topic's posts are in another one now: there is nothing to restore.
        next.deleted ? (next.mergedInto ? null : h('button', { type: 'button', class: 'button small', onclick: () => act('POST', `${topicPath()}/restore`, {}, 'Topic restored.') }, 'Restore topic')) : deleteButton(),
      );
    },
  };
}
