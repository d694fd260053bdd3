/**
 * Example bot: welcomes the author of every new topic and thanks posts that cite a source.
 *
 *   BOT_TOKEN=fbt_... FORUM_URL=http://127.0.0.1:3000 npm run bot:example
 *
 * It follows every forum its token can read (forum-wide streams), keeps one cursor per forum
 * in a JSON file (BOT_STATE_FILE, default .data/welcome-bot.json) and, when restarted,
 * resumes exactly where it stopped: what happened while it was away is replayed, once.
 * Its actions are idempotent (a reply carries a clientId derived from the topic, thanking
 * twice changes nothing), so an event handled just before a crash is safe to handle again.
 * See client/sdk/README.md.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect, ForumError, type ForumClient, type Forum, type PostCreatedEvent, type Subscription, type UserCard } from '../sdk/index.js';

export interface WelcomeBotOptions {
  /** The forum server, e.g. http://127.0.0.1:3000. */
  url: string;
  /** The bot's API token (scopes read, post, thank). */
  token: string;
  /** Where the per-forum cursors are kept between runs. */
  stateFile: string;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
}

export interface WelcomeBot {
  readonly client: ForumClient;
  readonly me: UserCard;
  readonly subscriptions: Subscription[];
  /** Resolves once every event received so far has been handled and its cursor saved. */
  idle(): Promise<void>;
  /** Finish the events in hand, save, and disconnect. */
  stop(): Promise<void>;
}

/** Saved between runs: for each forum, the forum cursor of the last event handled. */
interface BotState {
  forums: Record<string, number>;
}

const BBCODE_URL_TAG = /\[url=\s*["']?https?:\/\/[^\]\s]+["']?\s*\]/i; // [url=https://...]text[/url]
const BBCODE_URL_TEXT = /\[url\]\s*https?:\/\/[^\s[\]]+\s*\[\/url\]/i; // [url]https://...[/url]
const MARKDOWN_LINK = /\[[^\]\n]*\]\(\s*<?https?:\/\/[^\s)>]+/i; // [text](https://...)

/**
 * Whether a post cites a source: an http(s) link written as BBCode (`[url=...]...[/url]`,
 * `[url]...[/url]`) or as a Markdown link (`[text](https://...)`). A bare URL in running
 * text does not count: the bot thanks people who took the trouble to cite.
 */
export function citesSource(body: string): boolean {
  return BBCODE_URL_TAG.test(body) || BBCODE_URL_TEXT.test(body) || MARKDOWN_LINK.test(body);
}

async function loadState(file: string): Promise<BotState> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<BotState>;
    const forums: Record<string, number> = {};
    for (const [id, seq] of Object.entries(parsed.forums ?? {})) if (Number.isSafeInteger(seq) && seq >= 0) forums[id] = seq;
    return { forums };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { forums: {} };
    throw err;
  }
}

/** Write-then-rename, so a crash mid-write never leaves a torn file behind. */
async function saveState(file: string, state: BotState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, file);
}

/** Connect, follow every readable forum from the saved cursors, and start reacting. */
export async function startWelcomeBot(options: WelcomeBotOptions): Promise<WelcomeBot> {
  const log = options.log ?? (() => {});
  const state = await loadState(options.stateFile);
  const client = connect({ url: options.url, token: options.token });
  let me: UserCard;
  let forums: Forum[];
  try {
    me = (await client.rest.get<{ user: UserCard }>('/users/me')).user;
    forums = (await client.rest.get<{ forums: Forum[] }>('/forums')).forums;
  } catch (err) {
    client.close();
    throw err;
  }

  // Events are handled one at a time, in order; the cursor moves only after an event is done.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(task).catch((err) => log(`welcome-bot: ${err instanceof Error ? err.message : String(err)}`));
  };
  const advance = async (forumId: string, cursor: number) => {
    if ((state.forums[forumId] ?? -1) >= cursor) return;
    state.forums[forumId] = cursor;
    await saveState(options.stateFile, state);
  };

  async function handle(event: PostCreatedEvent): Promise<void> {
    const { post } = event;
    if (post.author.id !== me.id) {
      if (post.number === 1) {
        await client.reply(post.topicId, `Welcome, ${post.author.username}!`, { clientId: `welcome:${post.topicId}` });
        log(`welcome-bot: welcomed ${post.author.username} in topic ${post.topicId}`);
      }
      if (citesSource(post.body)) {
        await client.thank(post.id);
        log(`welcome-bot: thanked post ${post.id} for citing a source`);
      }
    }
    await advance(event.forumId, event.forumSeq);
  }

  async function follow(forum: Forum): Promise<Subscription> {
    const handlers = {
      'post:created': (event: PostCreatedEvent) =>
        enqueue(() =>
          handle(event).catch(async (err) => {
            // A refused action (e.g. a locked topic) is logged and passed over, not retried forever.
            if (!(err instanceof ForumError)) throw err;
            log(`welcome-bot: ${err.code} on post ${event.post.id}: ${err.message}`);
            await advance(event.forumId, event.forumSeq);
          }),
        ),
      resync: (seq: number) => {
        log(`welcome-bot: events in "${forum.title}" before ${seq} are no longer kept; going on from there`);
        enqueue(() => advance(forum.id, seq));
      },
    };
    const saved = state.forums[forum.id];
    let sub: Subscription;
    try {
      sub = await client.subscribeForum(forum.id, handlers, { sinceSeq: saved, types: ['post:created'] });
    } catch (err) {
      // A cursor from another database (the board was reset): start from now.
      if (!(err instanceof ForumError) || err.code !== 'BAD_REQUEST' || saved === undefined) throw err;
      log(`welcome-bot: saved position in "${forum.title}" is unknown to the server; starting from now`);
      delete state.forums[forum.id];
      sub = await client.subscribeForum(forum.id, handlers, { types: ['post:created'] });
    }
    // Queued behind the replayed events: once they are handled, the cursor also steps over the
    // events this bot does not look at. (Read now: later live events are not handled yet.)
    // On a first run this records where "now" was, so a restart replays what it missed.
    const position = sub.lastSeq ?? 0;
    enqueue(() => advance(forum.id, position));
    return sub;
  }

  const subscriptions: Subscription[] = [];
  try {
    for (const forum of forums) subscriptions.push(await follow(forum));
  } catch (err) {
    client.close();
    throw err;
  }
  log(`welcome-bot: ready as ${me.username}, following ${forums.length} forum(s)`);

  let stopping: Promise<void> | null = null;
  return {
    client,
    me,
    subscriptions,
    idle: () => queue,
    stop() {
      stopping ??= (async () => {
        for (const sub of subscriptions) sub.closed = true; // nothing new is queued from here on
        await queue;
        client.close();
      })();
      return stopping;
    },
  };
}

/** `npm run bot:example`: configured by FORUM_URL, BOT_TOKEN and BOT_STATE_FILE. */
async function main(): Promise<void> {
  const token = process.env.BOT_TOKEN;
  if (!token) {
    console.error('Set BOT_TOKEN to a bot token with scopes read,post,thank, e.g.\n  BOT_TOKEN=$(npm run -s cli -- create-bot --username WelcomeBot --scopes read,post,thank) npm run bot:example');
    process.exit(2);
  }
  const bot = await startWelcomeBot({
    url: process.env.FORUM_URL ?? 'http://127.0.0.1:3000',
    token,
    stateFile: process.env.BOT_STATE_FILE ?? '.data/welcome-bot.json',
    log: (line) => console.log(line),
  });
  const exit = (code: number) => void bot.stop().finally(() => process.exit(code));
  bot.client.onState((state) => {
    if (state === 'unauthorized') {
      console.error('welcome-bot: the server refused the token (revoked?); stopping');
      exit(1);
    }
  });
  process.once('SIGINT', () => exit(0));
  process.once('SIGTERM', () => exit(0));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`welcome-bot: ${err instanceof ForumError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
