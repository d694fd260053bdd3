import type { Forum, Poll, Post, PostRevisions, Topic, UserCard } from '../../../sdk/index.js';
import { isHeld } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { TopicModel, type Effect, type ShownPost } from '../live/topic-model.js';
import { keepSubscribed } from '../live/keep-subscribed.js';
import { paths, type TopicJump } from '../router.js';
import { errorPanel, loading } from './common.js';
import { onlineBox } from './online-box.js';
import { pagination } from './pagination.js';
import { watchButton } from './watch-button.js';
import { feedLink, guestReadable } from './feed-link.js';
import { searchForm } from './search-page.js';
import { mentionSuggestions } from './mention-suggestions.js';
import { composeTools } from './compose-tools.js';
import { postView, replacePost, updateSolution, updateThanks, type PostActions } from './post-view.js';
import { carryEditor } from './post-editor.js';
import { updateCards, updateCounters } from './profile-card.js';
import { replyForm } from './reply-form.js';
import { modTools } from './mod-tools.js';
import { readMarker } from '../live/read-marker.js';
import { replyPermission } from '../live/reply-permission.js';
import { typingLine } from './typing-line.js';
import { viewersBox } from './viewers-box.js';
import { pollSection } from './poll-section.js';
import { postFolds } from './post-folds.js';
import { solutionChoice } from '../live/solution-choice.js';
import { postBookmarks } from '../live/post-bookmarks.js';
import { myHeldBlock } from './my-held-posts.js';
import { forumCrumbs } from './forum-crumbs.js';
import { postSelection } from './post-select.js';
import { movedNotice } from './moved-notice.js';
import { mergedNotice } from './merged-notice.js';
import { whoPosted } from './who-posted.js';
import { sendWarning } from './warn-form.js';
import { approvalNotice } from './approval-notice.js';
import { topicTags } from './topic-tags.js';

interface TopicPageData {
  topic: Topic;
  posts: ShownPost[];
  page: number;
  pageCount: number;
  seq: number;
  /** With `?page=unread`: the post to scroll to. */
  firstUnreadPostId?: string;
  /** Members: what they had read before this load (posts numbered up to `upTo`, or older than `before`). */
  read?: { upTo: number; before: string };
  /** Signed in: whether they watch this topic. */
  watching?: boolean;
  /** The topic's poll, as this viewer sees it. */
  poll?: Poll;
  /** Signed in: the posts on this page they have bookmarked. */
  bookmarked?: string[];
}

/**
 * A topic page, live: load over REST, then subscribe from the page's `seq` (load-then-subscribe)
 * and apply each event in place through the TopicModel.
 */
export function topicPage(ctx: WebContext, main: HTMLElement, topicId: string, requestedPage: number, jump?: TopicJump): Page {
  const { client } = ctx;
  const me = ctx.session?.user.id ?? null;
  const cleanups: Array<() => void> = [];
  let alive = true;
  let model: TopicModel;
  let forums: Forum[] = [];

  const title = h('h1', { class: 'topic-title' });
  const lockedNotice = h('p', { class: 'notice locked-notice', hidden: true }, 'This topic is locked: you cannot reply to it.');
  const deletedNotice = h('p', { class: 'notice deleted-notice', role: 'status', hidden: true }, 'This topic was deleted by a moderator.');
  const topBar = h('div', { class: 'action-bar top' });
  // Made once: the bars are drawn again on every change, and a half-typed search must survive that.
  const topicSearch = searchForm(ctx, '', 'topic-search-q', topicId);
  const bottomBar = h('div', { class: 'action-bar bottom' });
  const newPosts = h('p', { class: 'new-posts', role: 'status', hidden: true });
  const postList = h('section', { class: 'posts', 'aria-label': 'Posts' });
  const liveNotice = h('p', { class: 'notice live-notice', role: 'status', hidden: true });
  /** Posts a moderator moved to other topics while the page was open, and where the topic went when merged. */
  const moved = movedNotice();
  const merged = mergedNotice(ctx.api, moved.titleOf);
  const replyArea = h('div', { class: 'reply-area' });
  /** The topic's tags under its title; its author (while open) and moderators edit them there. */
  const tags = topicTags(ctx.api, topicId, (answer) => {
    if (alive) apply(model.apply({ type: 'topic:updated', data: { topicId, forumId: answer.topic.forumId, seq: answer.seq, forumSeq: 0, topic: answer.topic } }));
  });
  /** In the reply form: that a member's reply here waits for a moderator, where its forum says so. */
  const approval = approvalNotice(ctx.session);

  ctx.setPlace('Topic', [{ label: 'Board index', href: paths.board() }, { label: 'Topic' }]);
  replaceChildren(main, loading());

  // ----- names for the "thanked by" lists (fetched once per unknown user) -----
  const lookups = new Set<string>();
  function nameOf(userId: string): string | undefined {
    const known = model?.names.get(userId) ?? ctx.online.snapshot?.registered.find((u) => u.id === userId)?.username;
    if (known || lookups.has(userId)) return known;
    lookups.add(userId);
    ctx.api
      .get<{ user: UserCard }>(`/users/${encodeURIComponent(userId)}`)
      .then(({ user }) => {
        if (!alive) return;
        model.names.set(user.id, user.username);
        for (const p of model.posts.values()) if (p.thankedBy?.includes(user.id)) refreshThanks(p);
      })
      .catch(() => undefined);
    return undefined;
  }

  const role = ctx.session?.user.role;
  const moderator = role === 'moderator' || role === 'admin';
  /** Moderators tick replies to split them off or move them (the tools' "Selected replies"). */
  const selection = moderator ? postSelection() : null;
  const tools = selection ? modTools(ctx, topicId, selection) : null;
  const poll = pollSection(ctx, topicId, moderator);
  /** Whether the forum lets this member reply (`may.reply`), kept current across live changes. */
  const replies = replyPermission(ctx.api, topicId, moderator, () => {
    renderPlace();
    renderBars();
  });
  /** Members' unread state follows what this page shows them. */
  const marker = me ? readMarker(ctx.api, topicId) : null;
  const bookmarks = me ? postBookmarks(ctx.api) : null;
  /** The member's own replies here awaiting approval, after the posts, live. */
  const held = myHeldBlock(ctx, 'reply', (p) => p.kind === 'reply' && p.topicId === topicId);
  if (held) cleanups.push(held.dispose);
  const actions: PostActions = {
    me,
    nameOf,
    changes: me
      ? {
          allowed: (post) => moderator || post.author.id === me,
          async edit(post, body, reason, editCount) {
            const send = { body, ...(reason && { reason }), ...(editCount !== undefined && { editCount }) };
            const done = await ctx.api.request<{ post: Post; seq: number }>('PATCH', `/posts/${encodeURIComponent(post.id)}`, send);
            if (alive) apply(model.apply({ type: 'post:updated', data: { topicId, forumId: done.post.forumId, seq: done.seq, forumSeq: 0, post: done.post } }));
          },
          // An edit conflict whose live event was missed: the post as its page on the server has it (shown here too).
          async current(post) {
            const data = await ctx.api.get<TopicPageData>(`/topics/${encodeURIComponent(topicId)}?post=${encodeURIComponent(post.id)}`);
            const found = data.posts.find((p) => p.id === post.id);
            if (!found) throw new Error('This post is no longer in the topic');
            if (alive) apply(model.apply({ type: 'post:updated', data: { topicId, forumId: found.forumId, seq: found.seq, forumSeq: 0, post: found } }));
            return found;
          },
          // The post leaves the page with its live event (applying the answer too would count
          // the deletion twice: the model cannot tell a repeat from a post on another page).
          remove: async (post) => void (await ctx.api.request('DELETE', `/posts/${encodeURIComponent(post.id)}`)),
          suggest: (textarea) => mentionSuggestions(textarea, ctx.api),
          composeTools: (textarea) => composeTools(textarea, ctx.api).el,
        }
      : undefined,
    // The server answers 201 (or 200 when the member's open report on it only gets a new reason).
    report: me ? async (post, reason) => void (await ctx.api.request('POST', `/posts/${encodeURIComponent(post.id)}/report`, { reason })) : undefined,
    // phpBB's "Warn post": the author is warned for this post (and told by a private message).
    warn: moderator ? (post, reason) => sendWarning(ctx.api, post.author.id, reason, post.id) : undefined,
    async toggleThanks(post) {
      // The live thanks:changed event (it precedes the ack on this socket) updates the page.
      if (me && post.thankedBy?.includes(me)) await client.unthank(post.id);
      else await client.thank(post.id);
    },
    revisions: (post) => ctx.api.get<PostRevisions>(`/posts/${encodeURIComponent(post.id)}/revisions`),
    solution: solutionChoice({ api: ctx.api, topicId, me, moderator, model: () => model, apply: (e) => alive && apply(model.apply(e)) }),
    bookmarks: bookmarks ?? undefined,
    select: selection ? (post) => selection.checkbox(post) : undefined,
  };

  // Posts by ignored members are folded away, until shown.
  const ignoreList = ctx.ignoreList;
  const folds = postFolds(ignoreList, {
    posts: () => model?.posts.values() ?? [],
    post: (postId) => model.posts.get(postId),
    articleOf: (postId) => articleOf(postId),
    redraw: (el, post) => replacePost(el, post, actions),
  });
  actions.folded = folds.folded;
  actions.unfold = folds.unfold;
  cleanups.push(folds.dispose);

  const articleOf = (postId: string) => postList.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(postId)}"]`);
  const refreshThanks = (post: ShownPost) => {
    const el = articleOf(post.id);
    if (el) updateThanks(el, post);
  };

  // ----- rendering -----
  function forumOf(topic: Topic): Forum | undefined {
    return forums.find((f) => f.id === topic.forumId);
  }

  function renderPlace(): void {
    const topic = model.topic;
    const forum = forumOf(topic);
    replaceChildren(title, h('a', { href: paths.topic(topic.id) }, topic.title));
    // The same rule as the server's: moderators, or the author while the topic is open and they may write in its forum.
    const mayRetag = me !== null && !topic.deleted && (moderator || (topic.authorId === me && !topic.locked && !replies.refused()));
    tags.update(topic, mayRetag);
    approval.show(forum);
    // Board index › the forums it sits in › its forum › the topic.
    ctx.setPlace(topic.title, [...forumCrumbs(forums, forum), { label: topic.title, href: paths.topic(topic.id) }]);
    lockedNotice.hidden = !topic.locked || !!topic.deleted;
    lockedNotice.textContent = moderator ? 'This topic is locked: only moderators can reply.' : 'This topic is locked: you cannot reply to it.';
    deletedNotice.hidden = !topic.deleted || !!topic.mergedInto;
    merged.show(topic);
    // Moderators may still reply to a locked topic (phpBB's "locked because…"); no one to a deleted one.
    const lockedOut = (topic.locked && !moderator) || !!topic.deleted;
    // A guest keeps the "Log in to reply" panel wherever a lock does not stop everyone.
    replyArea.hidden = lockedOut || (me !== null && replies.refused());
    postList.classList.toggle('no-reply', lockedOut);
    tools?.update(topic, forums);
  }

  /** Members watch a topic to be told of its replies. */
  const watch = me ? watchButton(ctx.api, { kind: 'topic', id: topicId }, (text) => ctx.notify(text)) : null;

  /** Post Reply goes to the form and puts the caret in it, ready to type. */
  function focusReply(event: Event): void {
    const textarea = replyArea.querySelector('textarea');
    if (!textarea) return;
    event.preventDefault();
    textarea.scrollIntoView({ block: 'center' });
    textarea.focus({ preventScroll: true });
  }

  function renderBars(): void {
    const topic = model.topic;
    const forum = forumOf(topic);
    const pages = () => pagination(model.page, Math.max(model.page, model.pageCount), (p) => paths.topic(topic.id, p), 'Topic pages');
    replaceChildren(
      topBar,
      me && !replyArea.hidden ? h('a', { href: '#reply', class: 'button primary', onclick: focusReply }, 'Post Reply') : null,
      watch?.el ?? null,
      h('p', { class: 'total', 'data-post-total': model.postCount }, plural(model.postCount, 'post')),
      topicSearch,
      pages(),
    );
    replaceChildren(
      bottomBar,
      forum ? h('a', { href: paths.forum(forum.id), class: 'return' }, `Return to “${forum.title}”`) : h('a', { href: paths.board(), class: 'return' }, 'Return to Board index'),
      forum && !topic.deleted && guestReadable(forum) ? feedLink(`/t/${encodeURIComponent(topic.id)}/feed.atom`, `Newest posts in “${topic.title}”`) : null,
      pages(),
    );
  }

  function renderNewPosts(count: number, page: number, firstPostId: string | null): void {
    newPosts.hidden = count === 0;
    replaceChildren(newPosts, count ? h('a', { href: paths.topic(topicId, page, firstPostId ?? undefined) }, `${plural(count, 'new post')} since you opened this page`) : null);
  }

  /** Draw every post (loaded, or loaded again after missed events: an open editor moves to its post's new drawing). */
  function renderPosts(): void {
    const before = new Map([...postList.querySelectorAll<HTMLElement>('article.post')].map((el) => [el.dataset.postId, el]));
    const focused = document.activeElement;
    replaceChildren(
      postList,
      [...model.posts.values()].map((p) => {
        const el = postView(p, actions);
        const old = before.get(p.id);
        if (old) carryEditor(old, el, p);
        return el;
      }),
    );
    if (focused instanceof HTMLElement && focused !== document.activeElement && postList.contains(focused)) focused.focus({ preventScroll: true });
  }

  let typing: ReturnType<typeof typingLine> | null = null;

  function apply(effects: Effect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'append':
          postList.append(postView(effect.post, actions));
          marker?.seen(effect.post.number);
          typing?.clear(effect.post.author.id);
          break;
        case 'replace': {
          const el = articleOf(effect.post.id);
          if (el) replacePost(el, effect.post, actions);
          break;
        }
        case 'remove':
          articleOf(effect.postId)?.remove();
          selection?.drop(effect.postId);
          break;
        case 'moved':
          moved.add(effect.number, effect.to);
          break;
        case 'thanks':
          refreshThanks(effect.post);
          break;
        case 'card':
          updateCards(postList, effect.card);
          break;
        case 'counters':
          updateCounters(postList, effect.userId, effect);
          break;
        case 'new-posts':
          renderNewPosts(effect.count, effect.page, effect.firstPostId);
          break;
        case 'topic':
          renderPlace();
          // The solution (or who may choose it: a lock) may have changed; each post shows it in place.
          for (const el of postList.querySelectorAll<HTMLElement>('article.post')) updateSolution(el);
          poll.topicChanged(effect.topic);
          if (me) replies.topicChanged(effect.topic);
          break;
      }
    }
    if (effects.some((e) => e.kind === 'append' || e.kind === 'remove' || e.kind === 'new-posts' || e.kind === 'topic')) renderBars();
  }

  // ----- loading and live -----
  /** The first load goes where the link said (a page, the first unread post, a post); reloads stay on the page it found. */
  let landed: number | null = null;
  function pageQuery(): string {
    if (landed === null && jump) return jump === 'unread' ? 'page=unread' : `post=${encodeURIComponent(jump.post)}`;
    return `page=${landed ?? requestedPage}`;
  }

  async function load(): Promise<TopicPageData> {
    const [data, list] = await Promise.all([
      ctx.api.get<TopicPageData>(`/topics/${encodeURIComponent(topicId)}?${pageQuery()}`),
      ctx.api.get<{ forums: Forum[] }>('/forums').catch(() => ({ forums: [] as Forum[] })),
      // Posts by ignored members are drawn folded from the start.
      ignoreList.ready,
    ]);
    forums = list.forums;
    return data;
  }

  function show(data: TopicPageData): void {
    model = new TopicModel(data.topic, data.posts, data.page, LIMITS.postsPerPage);
    watch?.show(data.watching);
    bookmarks?.loaded(data.bookmarked);
    landed = data.page;
    replies.note(data.topic);
    poll.loaded(data.topic, data.poll);
    const read = data.read;
    actions.isNew = read ? (p) => p.author.id !== me && p.number > read.upTo && Date.parse(p.createdAt) > Date.parse(read.before) : undefined;
    for (const p of data.posts) marker?.seen(p.number);
    selection?.keepOnly(model.posts.keys());
    renderPlace();
    renderBars();
    renderPosts();
    renderNewPosts(0, data.page, null);
  }

  /** The server no longer holds the events we missed: load the page again, then carry on live. */
  async function reload(): Promise<void> {
    try {
      const data = await load();
      if (alive) show(data);
    } catch {
      /* the next event or reconnect tries again */
    }
  }

  void (async () => {
    let data: TopicPageData;
    try {
      data = await load();
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
      return;
    }
    if (!alive) return;
    // The address says where the page is now: its number, and the post a jump went to.
    // (`?page=unread` with nothing unread: the last post.)
    const lastShown = jump === 'unread' && !data.firstUnreadPostId ? data.posts.at(-1)?.id : undefined;
    const scrollTo = data.firstUnreadPostId ?? lastShown;
    const target = scrollTo ? `#p${scrollTo}` : location.hash;
    if (data.page !== requestedPage || jump) history.replaceState(null, '', paths.topic(topicId, data.page) + target);

    typing = typingLine(client.socket, topicId, me);
    const viewers = viewersBox(client.socket, topicId, ctx.friendList);
    const online = onlineBox(ctx.online, ctx.friendList);
    cleanups.push(typing.dispose, viewers.dispose, online.dispose);
    if (me) {
      const form = replyForm({
        draftKey: `reply:${topicId}`,
        api: ctx.api,
        notice: approval.el,
        send: async (body) => {
          const answer = await client.reply(topicId, body);
          if (isHeld(answer)) {
            held?.add(answer.queued); // the same post as this tab's queue:held push: shown once
            return ctx.notify('Your reply is awaiting a moderator’s approval. It will appear here once approved.');
          }
          const { post } = answer;
          if (!alive) return;
          apply(model.addOwn(post as Post));
          const el = articleOf(post.id);
          if (el) el.scrollIntoView({ block: 'nearest' });
          else ctx.navigate(paths.topic(topicId, model.pageCount, post.id));
        },
        typing: (on) => void client.typing(topicId, on).catch(() => undefined),
      });
      cleanups.push(form.dispose);
      replyArea.append(form.el);
      actions.quote = (post) => form.quote(post.author.username, post.body);
    } else {
      replyArea.append(h('p', { class: 'panel login-to-reply' }, h('a', { href: paths.login(location.pathname + location.search) }, 'Log in'), ' to reply to this topic.'));
    }

    show(data);
    replaceChildren(
      main,
      title,
      tags.el,
      lockedNotice,
      deletedNotice,
      merged.el,
      topBar,
      poll.el,
      newPosts,
      liveNotice,
      moved.el,
      postList,
      held?.el ?? null,
      bottomBar,
      typing.el,
      replyArea,
      tools?.el ?? null,
      whoPosted(ctx.api, topicId),
      h('div', { class: 'stat-blocks' }, viewers.el, online.el),
    );
    if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
    cleanups.push(
      keepSubscribed(client, (sinceSeq) => client.subscribeTopic(topicId, { event: (e) => alive && apply(model.apply(e)), resync: () => void reload() }, { sinceSeq, page: data.page }), data.seq, {
        live: () => {
          liveNotice.hidden = true;
          poll.subscribed();
        },
        paused: () => {
          liveNotice.textContent = 'Live updates are paused; retrying when the connection is back.';
          liveNotice.hidden = false;
        },
      }),
    );
  })();

  return {
    dispose() {
      alive = false;
      marker?.dispose();
      replies.dispose();
      poll.dispose();
      for (const c of cleanups) c();
    },
  };
}
