import { z } from 'zod';
import { DEFAULT_CRAWLERS } from './presence/crawlers.js';
import { parseTrustProxy, type TrustProxy } from './client-address.js';

const rankStep = z.object({ min: z.number().int().min(0), title: z.string().min(1).max(60) });

const DEFAULT_RANKS = [
  { min: 0, title: 'New member' },
  { min: 10, title: 'Member' },
  { min: 50, title: 'Regular' },
  { min: 200, title: 'Senior member' },
  { min: 1000, title: 'Veteran' },
];

const DEV_JWT_SECRET = 'dev-only-insecure-secret-change-me';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  MONGODB_URI: z.string().url().optional(),
  REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional()),
  NODE_TTL_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/).default('forum'),
  DATA_DIR: z.string().optional(),
  JWT_SECRET: z.string().min(16).optional(),
  // A bare number is seconds: jsonwebtoken would read the string "3600" as milliseconds.
  JWT_EXPIRES_IN: z
    .string()
    .regex(/^\d+[smhd]?$/)
    .default('7d')
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : v)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  RANK_LADDER: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return DEFAULT_RANKS;
      try {
        return z.array(rankStep).min(1).parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'RANK_LADDER must be a JSON array of {min, title}' });
        return z.NEVER;
      }
    }),
  EVENT_RETENTION_COUNT: z.coerce.number().int().min(10).default(10_000),
  EVENT_RETENTION_DAYS: z.coerce.number().min(0.0001).default(30),
  EVENT_GAP_TIMEOUT_MS: z.coerce.number().int().min(50).default(5_000),
  REPLAY_PAGE_SIZE: z.coerce.number().int().min(10).max(5_000).default(500),
  RECENT_EVENTS_PER_TOPIC: z.coerce.number().int().min(0).max(100_000).default(256),
  RECENT_EVENTS_TOPICS: z.coerce.number().int().min(0).max(1_000_000).default(1_000),
  FANOUT_BATCH_MS: z.coerce.number().int().min(0).max(1_000).default(20),
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(1024).default(19_456),
  ONLINE_WINDOW_MS: z.coerce.number().int().min(100).default(5 * 60_000),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  PRESENCE_LIST_LIMIT: z.coerce.number().int().min(0).max(10_000).default(100),
  RATE_SOCKET_POINTS: z.coerce.number().int().min(1).default(20),
  RATE_REST_POINTS: z.coerce.number().int().min(1).default(600),
  RATE_REST_WINDOW_S: z.coerce.number().int().min(1).max(3600).default(60),
  RATE_SEARCH_POINTS: z.coerce.number().int().min(1).default(30),
  RATE_UPLOAD_POINTS: z.coerce.number().int().min(1).default(30),
  // One file is one document: kept well under a document's 16 MiB.
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(8 * 1024 * 1024).default(2 * 1024 * 1024),
  ATTACHMENT_QUOTA_BYTES: z.coerce.number().int().min(0).default(50 * 1024 * 1024),
  ATTACHMENT_ORPHAN_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  APPROVE_POSTS_UNDER: z.coerce.number().int().min(0).max(1_000_000).default(0),
  WARNING_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  TOPIC_VIEWS_FLUSH_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
  LAST_ACTIVE_FLUSH_MS: z.coerce.number().int().min(10).max(600_000).default(60_000),
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).default(50),
  FLOOD_INTERVAL_MS: z.coerce.number().int().min(0).default(15_000),
  UNREAD_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  CORS_ORIGINS: z.string().default(''),
  // Where the board is reached from outside (feeds' links): scheme, host, optional port and path, no trailing slash.
  PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*[^\s?#/])?$/, 'must be an http(s) URL without a trailing slash, query or fragment').optional()),
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      try {
        return parseTrustProxy(raw);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `TRUST_PROXY: ${(err as Error).message} (use false, true, a hop count, or addresses and subnets such as loopback,10.0.0.0/8)` });
        return z.NEVER;
      }
    }),
  CRAWLERS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return DEFAULT_CRAWLERS;
      try {
        const signature = z.object({ pattern: z.string().min(3).max(100), name: z.string().trim().min(1).max(60) });
        return z.array(signature).max(500).parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'CRAWLERS must be a JSON array of {pattern, name} (pattern: a User-Agent substring)' });
        return z.NEVER;
      }
    }),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  mongodbUri?: string;
  /** Set: multi-node mode (Socket.IO Redis adapter, presence shared in Redis). Unset: one node, no Redis. */
  redisUrl?: string;
  /** A node that stops sending heartbeats drops out of shared presence after this long. */
  nodeTtlMs: number;
  dbName: string;
  dataDir?: string;
  jwtSecret: string;
  jwtSecretIsDevDefault: boolean;
  /** Seconds, or a span such as `30m`, `12h`, `7d`. */
  jwtExpiresIn: number | string;
  logLevel: string;
  seedDemo: 'auto' | 'always' | 'never';
  rankLadder: ReadonlyArray<{ min: number; title: string }>;
  eventRetentionCount: number;
  eventRetentionDays: number;
  eventGapTimeoutMs: number;
  replayPageSize: number;
  /** Catch-up from memory: this node's last events per topic (0 = off: every replay reads the log). */
  recentEventsPerTopic: number;
  /** ...for at most this many topics, least recently written dropped first (0 = off). */
  recentEventsTopics: number;
  /**
   * Topic events leave at most once per this many ms (0: at the next turn of the event loop
   * only); an event after a quiet spell leaves at once. Bounds fan-out writes per socket under load.
   */
  fanoutBatchMs: number;
  passwordHashMemoryKib: number;
  /** An HTTP visitor counts as online this long after its last request. */
  onlineWindowMs: number;
  /** A dropped socket still counts this long (no leave/join flap on a quick reconnect). */
  presenceGraceMs: number;
  /**
   * The most names one `presence:topic` (viewers) or who-is-online (registered) lists; counts
   * give the totals. Bounds what each push costs in a big room.
   */
  presenceListLimit: number;
  /** User-Agent substrings of crawlers and the names they are shown as ("<name> [Bot]"). */
  crawlers: ReadonlyArray<{ pattern: string; name: string }>;
  /** Socket commands allowed per second per connection. */
  rateSocketPoints: number;
  /** REST requests allowed per minute per IP (and per user when signed in). */
  rateRestPoints: number;
  /** The REST budget's window in seconds (RATE_REST_POINTS per this many seconds). */
  rateRestWindowS: number;
  /** Searches (GET /search, each a scan) allowed per RATE_REST_WINDOW_S per user, or per IP for guests. */
  rateSearchPoints: number;
  /** Uploads allowed per RATE_REST_WINDOW_S per member. */
  rateUploadPoints: number;
  /** The largest file one upload may be. */
  attachmentMaxBytes: number;
  /** What one member's uploads may take in all (0: members may not upload). */
  attachmentQuotaBytes: number;
  /** Uploads nothing shows are deleted once this many days old (0: never). */
  attachmentOrphanDays: number;
  /** Members with fewer posts than this have new posts held for a moderator's approval (0: off). */
  approvePostsUnder: number;
  /** A moderator's warning counts as active for this many days (phpBB's warning duration). */
  warningDays: number;
  /** Topic views are counted in memory and written (one $inc per topic) this often. */
  topicViewsFlushMs: number;
  /** Members' "last active" times are kept in memory and written (one `$max` per member) this often. */
  lastActiveFlushMs: number;
  /** Concurrent Socket.IO connections allowed per IP. */
  maxConnectionsPerIp: number;
  /** phpBB-style flood interval: a member may not post again this soon (0 = off). */
  floodIntervalMs: number;
  /** Unread tracking: a topic whose last post is older than this many days counts as read (phpBB's "unread tracking days"). */
  unreadWindowDays: number;
  /** Origins allowed cross-origin (REST and Socket.IO); empty: same-origin only. */
  corsOrigins: ReadonlyArray<string>;
  /** Proxies whose X-Forwarded-For names the client (REST's req.ip and sockets' address); false: none. */
  trustProxy: TrustProxy;
  /** The board's address as seen from outside (feeds' links); unset: each request's own origin. */
  publicUrl?: string;
}>;

/** Parse the environment once. Throws one readable line on bad config. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Bad configuration: ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new Error('Bad configuration: JWT_SECRET is required when NODE_ENV=production');
  }
  const ladder = [...e.RANK_LADDER].sort((a, b) => a.min - b.min);
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    nodeTtlMs: e.NODE_TTL_MS,
    dbName: e.DB_NAME,
    dataDir: e.DATA_DIR,
    jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET,
    jwtSecretIsDevDefault: !e.JWT_SECRET,
    jwtExpiresIn: e.JWT_EXPIRES_IN,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    rankLadder: ladder,
    eventRetentionCount: e.EVENT_RETENTION_COUNT,
    eventRetentionDays: e.EVENT_RETENTION_DAYS,
    eventGapTimeoutMs: e.EVENT_GAP_TIMEOUT_MS,
    replayPageSize: e.REPLAY_PAGE_SIZE,
    recentEventsPerTopic: e.RECENT_EVENTS_PER_TOPIC,
    recentEventsTopics: e.RECENT_EVENTS_TOPICS,
    fanoutBatchMs: e.FANOUT_BATCH_MS,
    passwordHashMemoryKib: e.PASSWORD_HASH_MEMORY_KIB,
    onlineWindowMs: e.ONLINE_WINDOW_MS,
    presenceGraceMs: e.PRESENCE_GRACE_MS,
    presenceListLimit: e.PRESENCE_LIST_LIMIT,
    crawlers: e.CRAWLERS,
    rateSocketPoints: e.RATE_SOCKET_POINTS,
    rateRestPoints: e.RATE_REST_POINTS,
    rateRestWindowS: e.RATE_REST_WINDOW_S,
    rateSearchPoints: e.RATE_SEARCH_POINTS,
    rateUploadPoints: e.RATE_UPLOAD_POINTS,
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    attachmentQuotaBytes: e.ATTACHMENT_QUOTA_BYTES,
    attachmentOrphanDays: e.ATTACHMENT_ORPHAN_DAYS,
    approvePostsUnder: e.APPROVE_POSTS_UNDER,
    warningDays: e.WARNING_DAYS,
    topicViewsFlushMs: e.TOPIC_VIEWS_FLUSH_MS,
    lastActiveFlushMs: e.LAST_ACTIVE_FLUSH_MS,
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    floodIntervalMs: e.FLOOD_INTERVAL_MS,
    unreadWindowDays: e.UNREAD_WINDOW_DAYS,
    corsOrigins: e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy: e.TRUST_PROXY,
    publicUrl: e.PUBLIC_URL,
    ...overrides,
  });
}
