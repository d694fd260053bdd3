import type { ForumClient, Poll, PollUpdatedEvent, Topic } from '../../../sdk/index.js';
import { ForumError } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { onReconnect } from './on-reconnect.js';
import { applyOwn, applyPushed, hasClosed, resultsHidden } from './poll-state.js';

/** setTimeout's longest wait; a poll closing later than that is closed by a later answer or push. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/**
 * A poll whose results show once it closes, closed by this browser's clock: nothing is pushed
 * then, so its totals are asked for, after these waits (the server's clock may be behind ours).
 */
const RESULTS_WAITS_MS = [1_000, 4_000, 15_000];

export interface LivePollOptions {
  client: ForumClient;
  api: Api;
  topicId: string;
  /** Signed in: a poll the page had not seen is fetched for the member's own choices (pushes carry none). */
  signedIn: boolean;
  /** The poll shown changed (null: the topic has none now). */
  changed(poll: Poll | null): void;
}

/**
 * A topic's poll, live: the page load's, then `poll:updated` pushes to the topic's room, the
 * topic's `hasPoll` from its (gap-free) `topic:updated` events, and the viewer's own answers.
 * Pushes are not replayed, so the poll is fetched again once the topic subscription is made and
 * after each reconnect. Closes itself at `closesAt` by this browser's clock (and then asks for
 * the totals, if they were hidden until it closed).
 */
export function livePoll(opts: LivePollOptions) {
  const path = `/topics/${encodeURIComponent(opts.topicId)}/poll`;
  let shown: Poll | null = null;
  let hasPoll = false;
  let topic: Topic | null = null;
  /** Goes up whenever the poll shown becomes another one (or none): a fetch answered across such a change is stale. */
  let generation = 0;
  let fetching = false;
  let fetchAgain = false;
  let alive = true;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  let resultsTimer: ReturnType<typeof setTimeout> | undefined;
  /** The closed poll (id and closing time) whose totals were asked for, and how often. */
  let resultsFor = '';
  let resultsAsked = 0;

  function set(next: Poll | null): void {
    if ((next?.id ?? null) !== (shown?.id ?? null)) generation++;
    shown = next;
    scheduleClose();
    opts.changed(next);
  }

  function scheduleClose(): void {
    clearTimeout(closeTimer);
    if (shown?.closed && resultsHidden(shown)) askForResults(shown);
    if (!shown || shown.closed || !shown.closesAt) return;
    const wait = Date.parse(shown.closesAt) - Date.now();
    if (wait > LONGEST_TIMER_MS) return;
    closeTimer = setTimeout(() => {
      if (alive && shown && hasClosed(shown)) set({ ...shown, closed: true });
    }, Math.max(0, wait));
  }

  /** A poll closed by our clock with its totals still hidden: read it again, a few times at most. */
  function askForResults(poll: Poll): void {
    const key = `${poll.id}|${poll.closesAt ?? ''}`;
    if (key !== resultsFor) {
      resultsFor = key;
      resultsAsked = 0;
      clearTimeout(resultsTimer);
      resultsTimer = undefined;
    }
    if (resultsTimer !== undefined || resultsAsked >= RESULTS_WAITS_MS.length) return;
    resultsTimer = setTimeout(() => {
      resultsTimer = undefined;
      if (alive && shown?.closed && resultsHidden(shown)) void refresh();
    }, RESULTS_WAITS_MS[resultsAsked++]);
  }

  /** Ask the server for the poll as this viewer sees it (one request at a time; one more if asked meanwhile). */
  async function refresh(): Promise<void> {
    if (fetching) return void (fetchAgain = true);
    fetching = true;
    const at = generation;
    try {
      const { poll } = await opts.api.get<{ poll: Poll }>(path);
      if (alive && (generation === at || shown?.id === poll.id)) set(applyOwn(shown, poll));
    } catch (err) {
      // No poll (removed, or the topic is gone): unless a newer poll arrived meanwhile, show none.
      if (alive && generation === at && shown && err instanceof ForumError && err.code === 'NOT_FOUND') set(null);
    } finally {
      fetching = false;
      if (fetchAgain && alive) {
        fetchAgain = false;
        void refresh();
      }
    }
  }

  const onPush = (event: PollUpdatedEvent) => {
    if (!alive || event.topicId !== opts.topicId) return;
    hasPoll = event.poll !== null;
    const outcome = applyPushed(shown, event.poll);
    if (outcome.changed) set(outcome.poll);
    if (outcome.fetchOwn && opts.signedIn) void refresh();
  };
  opts.client.socket.on('poll:updated', onPush);
  const stopReconnect = onReconnect(opts.client, () => {
    if (hasPoll || shown) void refresh();
  });

  return {
    get poll(): Poll | null {
      return shown;
    },
    /** The topic page's answer (its first load, or a reload after a resync). */
    loaded(poll: Poll | undefined, loadedTopic: Topic): void {
      topic = loadedTopic;
      hasPoll = !!loadedTopic.hasPoll;
      set(poll ? applyOwn(shown, poll) : null);
    },
    /** The subscription to the topic is made: what changed between the page load and joining its room was not pushed to us. */
    subscribed(): void {
      if (hasPoll || shown) void refresh();
    },
    /** An answer to this viewer's own request (a vote, a poll added, closed or reopened). */
    own(poll: Poll): void {
      hasPoll = true;
      set(applyOwn(shown, poll));
    },
    /** Read the poll again (a refusal said the page was out of date). */
    refresh,
    /** This viewer removed the poll. */
    removed(): void {
      hasPoll = false;
      set(null);
    },
    /**
     * A live change to the topic: a poll added or removed (`hasPoll`); a lock, unlock, deletion
     * or restore changes whether the member may vote (`may`), so their view is read again.
     */
    topicChanged(next: Topic): void {
      const before = topic;
      topic = next;
      hasPoll = !!next.hasPoll;
      if (!next.hasPoll) {
        if (shown) set(null);
      } else if (!shown) void refresh();
      else if (opts.signedIn && before && (before.locked !== next.locked || !!before.deleted !== !!next.deleted)) void refresh();
    },
    dispose(): void {
      alive = false;
      clearTimeout(closeTimer);
      clearTimeout(resultsTimer);
      opts.client.socket.off('poll:updated', onPush);
      stopReconnect();
    },
  };
}

export type LivePoll = ReturnType<typeof livePoll>;
