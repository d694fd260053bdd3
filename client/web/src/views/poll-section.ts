import type { Poll, Topic } from '../../../sdk/index.js';
import type { WebContext } from '../context.js';
import { h } from '../dom.js';
import { livePoll } from '../live/live-poll.js';
import { hasClosed } from '../live/poll-state.js';
import { paths } from '../router.js';
import { pollBox } from './poll-box.js';
import { pollTools } from './poll-tools.js';

/**
 * The topic page's poll: the box (live, with Close poll and Reopen poll for those the server
 * allows), and for the topic's author or a moderator the Add a poll and Remove poll tools. The
 * page hands it what it learns of the topic (the load, its `topic:updated` events, the
 * subscription being made); the poll's own pushes it hears itself.
 */
export function pollSection(ctx: WebContext, topicId: string, moderator: boolean) {
  const me = ctx.session?.user.id ?? null;
  const path = `/topics/${encodeURIComponent(topicId)}/poll`;
  let topic: Topic | null = null;

  const tools = me
    ? pollTools({
        api: ctx.api,
        topicId,
        added: (poll) => live.own(poll),
        removed: () => live.removed(),
      })
    : null;
  const box = pollBox({
    vote: async (choices) => live.own((await ctx.api.request<{ poll: Poll }>('POST', `${path}/vote`, { choices })).poll),
    setClosed: async (close) => live.own((await ctx.api.request<{ poll: Poll }>('POST', `${path}/${close ? 'close' : 'reopen'}`)).poll),
    stale: () => void live.refresh(),
    loginHref: me ? undefined : paths.login(location.pathname + location.search),
    tools: tools?.remove,
  });
  const live = livePoll({ client: ctx.client, api: ctx.api, topicId, signedIn: me !== null, changed: render });
  const el = h('div', { class: 'poll-area' }, box.el, tools?.add ?? null);

  /** Locked topics take no votes but moderators'; deleted ones none. */
  const lockedOut = (t: Topic) => !!t.deleted || (t.locked && !moderator);

  function render(): void {
    const poll = live.poll;
    box.show(poll && topic ? { poll, canVote: !!poll.may?.vote && !hasClosed(poll) && !lockedOut(topic), canClose: !!poll.may?.close && !lockedOut(topic) } : null);
    // The server's rules: the author or a moderator adds one (not to a locked topic, unless a
    // moderator); the author removes theirs only while no one has voted.
    const manages = !!topic && !topic.deleted && (moderator || (topic.authorId === me && !topic.locked));
    tools?.update({ add: manages && !poll, remove: manages && !!poll && (moderator || poll.voterCount === 0) });
    el.hidden = !poll && !manages;
  }

  return {
    el,
    /** The topic page's load (or reload): the topic and its poll as this viewer sees it. */
    loaded(loadedTopic: Topic, poll: Poll | undefined): void {
      topic = loadedTopic;
      live.loaded(poll, loadedTopic);
    },
    /** A live change to the topic (`topic:updated`). */
    topicChanged(next: Topic): void {
      topic = next;
      live.topicChanged(next);
      render();
    },
    /** The page's topic subscription is made. */
    subscribed: () => live.subscribed(),
    dispose(): void {
      live.dispose();
      tools?.dispose();
    },
  };
}
