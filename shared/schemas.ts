import { z } from 'zod';
import { LIMITS } from './limits.js';

// ---------- building blocks ----------
/** A document id, in either case on input and lowercase once parsed: room names, caches and maps compare ids as strings. */
export const objectId = z
  .string()
  .regex(/^[a-f0-9]{24}$/i, 'must be a 24-hex-digit id')
  .toLowerCase();
export const seqNumber = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const trimmed = (min: number, max: number) => z.string().trim().min(min).max(max);
export const clientId = z.string().min(1).max(LIMITS.clientIdMax);

// ---------- REST bodies ----------
export const registerBody = z.strictObject({
  username: z
    .string()
    .trim()
    .min(LIMITS.usernameMin)
    .max(LIMITS.usernameMax)
    .regex(/^[\p{L}\p{N}_.\- ]+$/u, 'letters, digits, space, _ . - only'),
  password: z.string().min(LIMITS.passwordMin).max(LIMITS.passwordMax),
});
export const loginBody = z.strictObject({
  username: z.string().min(1).max(LIMITS.usernameMax + 10),
  password: z.string().min(1).max(LIMITS.passwordMax),
});
/** A forum's place on the board index: lower first (ties by creation). */
const forumOrder = z.number().int().min(0).max(LIMITS.forumOrderMax);
export const createForumBody = z.strictObject({
  title: trimmed(1, LIMITS.titleMax),
  description: z.string().trim().max(LIMITS.forumDescriptionMax).default(''),
  /** The category it is listed under on the board index (phpBB's); none: listed before every category. */
  category: trimmed(1, LIMITS.categoryMax).optional(),
  /** Its place on the board index; by default after every forum there is. */
  order: forumOrder.optional(),
  /** phpBB's subforums: the forum it sits in (listed on that forum's page and row, not on its own). */
  parentId: objectId.optional(),
  /** phpBB's per-forum post approval: every member's new topic and reply here waits for a moderator. */
  approvePosts: z.boolean().optional(),
});
// ---------- edit history (Discourse's revisions) ----------
/** GET /posts/:postId/revisions: every version of a post, the first as written first, the current last. */
export const postRevisions = z.object({
  postId: z.string(),
  revisions: z.array(
    z.object({
      /** 0: as first written; N: as the Nth edit left it. */
      version: z.number().int(),
      subject: z.string(),
      /** Sanitized HTML, as the post showed it then. */
      bodyHtml: z.string(),
      writtenAt: z.string(),
      writtenBy: z.object({ id: z.string(), username: z.string() }),
      /** The reason its editor gave for the edit that wrote this version, if any. */
      reason: z.string().optional(),
    }),
  ),
});

// ---------- attachments (phpBB's attachments, Discourse's uploads) ----------
/** What may be uploaded, by the file's own bytes (its name and declared type are not trusted). */
export const attachmentType = z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);
/** An attachment's id: 32 random hex digits (its URL is its only key; see the README). */
export const attachmentId = z
  .string()
  .regex(/^[a-f0-9]{32}$/i, 'must be a 32-hex-digit attachment id')
  .toLowerCase();
/** An attachment's URL path, as posts and avatars use it. */
export const attachmentPath = z
  .string()
  .regex(/^\/attachments\/[a-f0-9]{32}$/i)
  .toLowerCase();
/** POST /attachments answers `{attachment}`; GET /users/me/attachments lists them. */
export const attachment = z.object({
  id: z.string(),
  /** Where the file is served, on the server's origin: `/attachments/<id>` (outside /api/v1, so posts keep working across API versions). */
  url: z.string(),
  name: z.string(),
  type: attachmentType,
  size: z.number().int(),
  createdAt: z.string(),
});
/** GET /users/me/attachments: the member's uploads, newest first, and their quota. */
export const myAttachments = z.object({
  attachments: z.array(attachment),
  page: z.number().int(),
  pageCount: z.number().int(),
  total: z.number().int(),
  /** Bytes the member's attachments take, of `quotaBytes`; `maxBytes` is the largest one file may be. */
  usedBytes: z.number().int(),
  quotaBytes: z.number().int(),
  maxBytes: z.number().int(),
});

// ---------- polls (phpBB's "Add a poll", NodeBB's and Discourse's polls) ----------
/** A poll, with a new topic (`poll` in POST /forums/:forumId/topics) or added later (POST /topics/:topicId/poll). */
export const pollInput = z
  .strictObject({
    question: trimmed(1, LIMITS.pollQuestionMax),
    /** The options in the order shown; no two alike (ignoring case). */
    options: z.array(trimmed(1, LIMITS.pollOptionMax)).min(LIMITS.pollOptionsMin).max(LIMITS.pollOptionsMax),
    /** How many options one member may choose (phpBB's "Options per user"). */
    maxChoices: z.number().int().min(1).max(LIMITS.pollOptionsMax).default(1),
    /** Closes this many days after it is made; absent: never closes. */
    closesInDays: z.number().int().min(1).max(LIMITS.pollDaysMax).optional(),
    /** Whether a member may change or take back their vote (phpBB's "Allow re-voting"). */
    allowVoteChange: z.boolean().default(false),
    /** When the totals are shown: `always`, or once the poll has `closed` (Discourse's "Show results"). */
    results: z.enum(['always', 'closed']).default('always'),
  })
  .superRefine((p, ctx) => {
    if (p.maxChoices > p.options.length) ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: `at most ${p.options.length}, the number of options` });
    const seen = new Set<string>();
    p.options.forEach((o, i) => {
      const key = o.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['options', i], message: 'the same option twice' });
      seen.add(key);
    });
  });
/** POST /topics/:topicId/solution: the reply that answers the topic. */
export const markSolutionBody = z.strictObject({ postId: objectId });
/** POST /topics/:topicId/poll/vote: the options chosen, by index; [] takes a vote back (where votes may change). */
export const pollVoteBody = z.strictObject({
  choices: z
    .array(z.number().int().min(0).max(LIMITS.pollOptionsMax - 1))
    .max(LIMITS.pollOptionsMax)
    .refine((c) => new Set(c).size === c.length, 'the same option twice'),
});
export const poll = z.object({
  /** A new id for every poll a topic is given (a poll removed and added again is another poll). */
  id: z.string(),
  topicId: z.string(),
  question: z.string(),
  /** `votes` is null while the results are hidden (`results: 'closed'` and the poll still open). */
  options: z.array(z.object({ text: z.string(), votes: z.number().int().nullable() })),
  maxChoices: z.number().int(),
  allowVoteChange: z.boolean(),
  /** When the totals are shown: `always`, or once the poll has `closed`. */
  results: z.enum(['always', 'closed']),
  /** Members who have voted (each counts once however many options they chose). */
  voterCount: z.number().int(),
  createdAt: z.string(),
  /** When it closes (or closed); absent: never. */
  closesAt: z.string().optional(),
  /** Whether it had closed when this was answered (a live client compares `closesAt` with its clock). */
  closed: z.boolean(),
  /** Goes up with every vote: of two views of one poll, the higher `rev` is the newer. */
  rev: z.number().int(),
  /** Only for a signed-in member: the options they chose ([]: none yet). Never in pushes. */
  myChoices: z.array(z.number().int()).optional(),
  /**
   * Only for a signed-in member, never in pushes: whether they may vote now (or change their
   * vote), and close or reopen the poll (the topic's author, or a moderator).
   */
  may: z.object({ vote: z.boolean(), close: z.boolean() }).optional(),
});
/** Pushed to the topic's room: new totals (at most every 250 ms per topic), a poll added, or removed (`poll: null`). */
export const pollUpdatedEvent = z.object({ topicId: z.string(), poll: poll.nullable() });

/** A topic tag (Discourse's, NodeBB's): letters and digits in runs joined by single dashes, kept in lower case. */
export const tagName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(LIMITS.tagMax)
  .regex(/^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u, 'a tag is letters and digits, words joined by single dashes');
/** A topic's tags, each once; an empty list removes them. */
export const topicTags = z
  .array(tagName)
  .max(LIMITS.tagsPerTopic)
  .refine((tags) => new Set(tags).size === tags.length, 'each tag once');
export const createTopicBody = z.strictObject({
  title: trimmed(1, LIMITS.titleMax),
  body: trimmed(1, LIMITS.bodyMax),
  clientId: clientId.optional(),
  poll: pollInput.optional(),
  tags: topicTags.optional(),
});
export const createPostBody = z.strictObject({
  body: trimmed(1, LIMITS.bodyMax),
  subject: trimmed(1, LIMITS.subjectMax).optional(),
  clientId: clientId.optional(),
});
export const editPostBody = z.strictObject({
  body: trimmed(1, LIMITS.bodyMax),
  subject: trimmed(1, LIMITS.subjectMax).optional(),
  /** phpBB's "Reason for edit", shown with "Last edited by"; an edit without one leaves the post without one. */
  reason: trimmed(1, LIMITS.editReasonMax).optional(),
  /**
   * The post's `editCount` (0 if absent) when the editor started: if someone has edited it since,
   * the edit is refused (CONFLICT) and nothing changes, rather than overwriting theirs unseen
   * (Discourse's edit conflict). Omitted: the edit replaces whatever is there.
   */
  editCount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
/** POST /preview: a body as it would be posted (the same limits). */
export const previewBody = z.strictObject({ body: trimmed(1, LIMITS.bodyMax) });
/** POST /preview's answer: the body rendered exactly as a post, a signature aside, would show it. */
export const previewResult = z.object({ bodyHtml: z.string() });
export type PreviewResult = z.infer<typeof previewResult>;
/** A custom profile field name: starts with a letter or digit, no leading or trailing space. */
const profileFieldKey = z
  .string()
  .max(LIMITS.fieldKeyMax)
  .regex(/^[\p{L}\p{N}](?:[\p{L}\p{N} _-]*[\p{L}\p{N}_-])?$/u, 'letters, digits, space, _ - only, starting with a letter or digit');
/** A member's own profile. Omitted keys stay as they are; null or '' clears; `fields` replaces the whole set. */
export const editProfileBody = z.strictObject({
  location: z.string().trim().max(LIMITS.locationMax).nullable().optional(),
  signature: z.string().max(LIMITS.signatureMax).nullable().optional(),
  /** An http(s) URL, or one of the member's own uploaded images (`/attachments/<id>`). */
  avatarUrl: z
    .string()
    .max(LIMITS.avatarUrlMax)
    .pipe(
      z.union([z.literal(''), attachmentPath, z.url({ protocol: /^https?$/ })], {
        error: 'must be an http or https URL, or /attachments/<id> of an image you uploaded',
      }),
    )
    .nullable()
    .optional(),
  fields: z
    .unknown()
    // A record schema silently skips a "__proto__" key; refuse it rather than drop it.
    .refine((raw) => typeof raw !== 'object' || raw === null || !Object.hasOwn(raw, '__proto__'), 'field names start with a letter or digit')
    .pipe(
      z
        .record(profileFieldKey, z.string().trim().max(LIMITS.fieldValueMax))
        .refine((f) => Object.keys(f).length <= LIMITS.fieldsMax, `at most ${LIMITS.fieldsMax} fields`),
    )
    .nullable()
    .optional(),
  /** null clears it, as for the other keys: not hidden. */
  hidden: z
    .boolean()
    .nullable()
    .optional()
    .transform((v) => (v === null ? false : v)),
});
export const specialRankBody = z.strictObject({ specialRank: trimmed(1, LIMITS.rankTitleMax).nullable() });
export const groupsBody = z.strictObject({
  groups: z
    .array(trimmed(1, LIMITS.groupNameMax).regex(/^[\p{L}\p{N} _-]+$/u, 'letters, digits, space, _ - only'))
    .max(LIMITS.groupsMax),
});
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(1),
});
/** GET /forums/:forumId/topics: a page, and `solved=yes|no` for only topics with (or without) a solution (Discourse's solved filter). */
export const forumTopicsQuery = pageQuery.extend({ solved: z.enum(['yes', 'no']).optional(), tag: tagName.optional() });
/** GET /topics/:topicId/posters: phpBB's "Who posted?": members with visible posts in the topic, most first; `total` counts them all. */
export const topicPosters = z.object({
  topicId: z.string(),
  posters: z.array(z.object({ user: z.object({ id: z.string(), username: z.string() }), posts: z.number().int() })),
  total: z.number().int(),
});
/** GET /tags: the tags on topics the reader may read, most used first. */
export const tagList = z.object({ tags: z.array(z.object({ name: z.string(), topics: z.number().int() })) });
/**
 * GET /topics/:topicId: a page number, or `unread`: the page holding the member's first unread
 * post (the last page when none); or `post`: the page holding that post (a search hit, a link).
 */
export const topicPageQuery = z.object({
  page: z.union([z.literal('unread'), pageQuery.shape.page]),
  post: objectId.optional(),
});
/** POST /topics/:topicId/read: the member has read the topic up to this post number (never lowers it). */
export const markTopicReadBody = z.strictObject({ number: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
/** POST /forums/:forumId/read and POST /forums/read take no input: no body, or `{}`. */
export const markReadBody = z.strictObject({});
/** Split a search query into its words (the server matches each literally, in any case). */
export const searchWords = (q: string): string[] => q.trim().split(/\s+/).filter(Boolean);
/** GET /search: posts whose subject or body contains every word; optionally in one forum, by one author (with no words: all of that author's posts). */
export const searchQuery = z.object({
  // A blank `q` is the same as none (a search form sent empty beside an author).
  q: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .min(LIMITS.searchQueryMin)
      .max(LIMITS.searchQueryMax)
      // Posts never hold control characters (bodies are stored without them), and MongoDB refuses a NUL in a regex.
      .regex(/^[^\u0000-\u0008\u000e-\u001f\u007f]*$/, 'no control characters')
      .refine((q) => searchWords(q).length <= LIMITS.searchWordsMax, `at most ${LIMITS.searchWordsMax} words`)
      .optional(),
  ),
  forumId: objectId.optional(),
  /** phpBB's "Search this topic": only its posts (its forum's reading rules apply). */
  topicId: objectId.optional(),
  authorId: objectId.optional(),
  page: pageQuery.shape.page,
}).refine((b) => b.q !== undefined || b.authorId !== undefined, { message: 'q is required (without it, authorId: every post of one member)', path: ['q'] });

// ---------- forum permissions and moderation ----------
/** Who a permission names: a role (`guest` = everyone, signed in or not) or `group:<name>` (a name as PATCH /users/:id/groups sets). */
export const permissionEntry = z.union([
  z.enum(['guest', 'member', 'moderator', 'admin', 'bot']),
  z.string().regex(new RegExp(`^group:(?! )[\\p{L}\\p{N} _-]{1,${LIMITS.groupNameMax}}(?<! )$`, 'u'), 'a role or group:<name>'),
]);
const permissionList = z
  .array(permissionEntry)
  .max(LIMITS.permissionEntriesMax)
  .refine((l) => new Set(l).size === l.length, 'each entry once');
/**
 * Per forum: who may read it, start topics (post) and reply. A list left out takes the public
 * default (read: everyone; post and reply: members and bots). Moderators and admins always may.
 */
export const forumPermissions = z.strictObject({ read: permissionList.optional(), post: permissionList.optional(), reply: permissionList.optional() });
/** Admin: change a forum. `permissions: null` returns it to the public default. */
export const updateForumBody = z
  .strictObject({
    title: trimmed(1, LIMITS.titleMax).optional(),
    description: z.string().trim().max(LIMITS.forumDescriptionMax).optional(),
    permissions: forumPermissions.nullable().optional(),
    /** null: no category any more. */
    category: trimmed(1, LIMITS.categoryMax).nullable().optional(),
    order: forumOrder.optional(),
    /** Another forum to sit in (not itself, nor one of its own subforums), or null: a forum of the board index again. */
    parentId: objectId.nullable().optional(),
    /** Every member's post here waits for a moderator (true), or only as the board-wide rule says (false). */
    approvePosts: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
const reason = trimmed(1, LIMITS.reasonMax);
/** Lock, unlock, restore: an optional reason for the moderation log. */
export const moderationBody = z.strictObject({ reason: reason.optional() });
export const moveTopicBody = z.strictObject({ forumId: objectId, reason: reason.optional() });
/** phpBB's announcement types: `forum` heads its own forum's every page; `global` heads every forum's. */
export const announcementScope = z.enum(['forum', 'global']);
/** POST /topics/:topicId/announce: the scope (default `forum`) and an optional reason for the moderation log. */
export const announceBody = z.strictObject({ scope: announcementScope.default('forum'), reason: reason.optional() });
/** PATCH /topics/:topicId: a new title, new tags (`[]`: none), or both. */
export const editTopicBody = z
  .strictObject({ title: trimmed(1, LIMITS.titleMax).optional(), tags: topicTags.optional() })
  .refine((b) => b.title !== undefined || b.tags !== undefined, 'nothing to change');
/** The replies a split or move takes (never the opening post), each once. */
const movedPostIds = z
  .array(objectId)
  .min(1)
  .max(LIMITS.movePostsMax)
  .refine((ids) => new Set(ids).size === ids.length, 'a post is named twice');
/** POST /topics/:topicId/split: phpBB's "Split topic": the posts named become a new topic (in `forumId`, default the same forum). */
export const splitTopicBody = z.strictObject({ postIds: movedPostIds, title: trimmed(1, LIMITS.titleMax), forumId: objectId.optional(), reason: reason.optional() });
/** POST /topics/:topicId/move-posts: phpBB's "Move posts": the posts named go to the end of another topic. */
export const movePostsBody = z.strictObject({ postIds: movedPostIds, toTopicId: objectId, reason: reason.optional() });
/** POST /topics/:topicId/merge: phpBB's "Merge topic": every post goes to the end of another topic, and this one is deleted. */
export const mergeTopicBody = z.strictObject({ intoTopicId: objectId, reason: reason.optional() });
export const banBody = z.strictObject({ reason, minutes: z.number().int().min(1).max(LIMITS.banMinutesMax) });
/** POST /users/:userId/warnings: phpBB's "Warn user" (or, with `postId`, "Warn post": one of the member's posts). */
export const warnBody = z.strictObject({ reason, postId: objectId.optional() });
/** A moderator's warning to a member, as moderators and the member see it. */
export const warning = z.object({
  id: z.string(),
  userId: z.string(),
  moderator: z.object({ id: z.string(), username: z.string() }),
  reason: z.string(),
  /** The post it was for ("Warn post"), as it was then. */
  post: z.object({ id: z.string(), topicId: z.string(), subject: z.string() }).optional(),
  createdAt: z.string(),
  /** It counts as active until then (WARNING_DAYS after it was given). */
  expiresAt: z.string(),
});
/** GET /users/:userId/warnings: newest first; `active` counts those not yet expired. */
export const warningList = z.object({ warnings: z.array(warning), active: z.number().int() });

// ---------- bots and API tokens ----------
/** What an API token lets its bot do; `moderate` is reserved for moderation bots. */
export const scope = z.enum(['read', 'post', 'thank', 'moderate']);
export const createBotBody = z.strictObject({ username: registerBody.shape.username });
export const createApiTokenBody = z.strictObject({
  scopes: z
    .array(scope)
    .min(1)
    .max(scope.options.length)
    .refine((s) => new Set(s).size === s.length, 'each scope once'),
  /** Restrict the token to these forums; omitted or empty: every forum. */
  forums: z
    .array(objectId)
    .max(100)
    .refine((f) => new Set(f.map((id) => id.toLowerCase())).size === f.length, 'each forum once')
    .optional(),
  name: trimmed(1, 60).optional(),
});

// ---------- socket payloads (client to server) ----------
export const topicSubscribePayload = z.strictObject({
  topicId: objectId,
  sinceSeq: seqNumber.optional(),
  /** The page the viewer shows (for moderators' presence detail); subscribe again to change it. */
  page: z.number().int().min(1).max(LIMITS.pageMax).optional(),
});
export const topicUnsubscribePayload = z.strictObject({ topicId: objectId });
export const forumSubscribePayload = z.strictObject({
  forumId: objectId,
  sinceSeq: seqNumber.optional(),
  /** The client shows this forum's page: it counts as browsing the forum and hears `presence:forum` (phpBB's "Users browsing this forum"). */
  browsing: z.boolean().optional(),
});
export const forumUnsubscribePayload = z.strictObject({ forumId: objectId });
export const postCreatePayload = z.strictObject({
  topicId: objectId,
  body: trimmed(1, LIMITS.bodyMax),
  subject: trimmed(1, LIMITS.subjectMax).optional(),
  clientId,
});
export const thanksPayload = z.strictObject({ postId: objectId });
export const typingPayload = z.strictObject({ topicId: objectId, typing: z.boolean() });

// ---------- entities (server to client) ----------
export const role = z.enum(['member', 'moderator', 'admin', 'bot']);
export const userCard = z.object({
  id: z.string(),
  username: z.string(),
  role,
  rank: z.string(),
  groups: z.array(z.string()),
  postCount: z.number(),
  joinedAt: z.string(),
  location: z.string().optional(),
  signature: z.string().optional(),
  /** Sanitized HTML rendered from `signature` on write. */
  signatureHtml: z.string().optional(),
  avatarUrl: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
  thanksGiven: z.number(),
  thanksReceived: z.number(),
  isBot: z.boolean(),
});
export const postRef = z.object({
  id: z.string(),
  topicId: z.string(),
  subject: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
});
export const post = z.object({
  id: z.string(),
  topicId: z.string(),
  forumId: z.string(),
  subject: z.string(),
  body: z.string(),
  bodyHtml: z.string(),
  author: userCard,
  createdAt: z.string(),
  editedAt: z.string().optional(),
  /** How many times it was edited; absent when never edited (posts stored before it was counted lack it too). */
  editCount: z.number().int().min(0).optional(),
  /** Who made the last edit (a moderator editing another's post is named here); with `editedAt`. */
  editedBy: z.object({ id: z.string(), username: z.string() }).optional(),
  /** Why the last edit was made, when its editor said (phpBB's "Reason for edit"). */
  editReason: z.string().optional(),
  thanksCount: z.number(),
  thankedBy: z.array(z.string()).optional(),
  /** Usernames of `thankedBy`, same order (for the "thanked by" list). */
  thankedByNames: z.array(z.string()).optional(),
  /** Position in the topic, 1-based (the first post is 1). */
  number: z.number(),
  /** The topic seq of the last change to this post. */
  seq: z.number(),
});
export const topic = z.object({
  id: z.string(),
  forumId: z.string(),
  title: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
  postCount: z.number(),
  /** phpBB's "Views": people (not bots) served a page of it, each once an hour; written every TOPIC_VIEWS_FLUSH_MS. */
  views: z.number(),
  locked: z.boolean(),
  /** Present (true) only on a topic a moderator pinned to the top of its forum's first page. */
  pinned: z.literal(true).optional(),
  /** Present only on an announcement (phpBB's): `forum` heads its forum's every page, `global` every forum's (see POST /topics/:topicId/announce). */
  announcement: announcementScope.optional(),
  /** Present (true) only on a topic a moderator deleted; others see such a topic as not found. */
  deleted: z.literal(true).optional(),
  /** Only on a deleted topic that was merged (POST /topics/:topicId/merge): the topic its posts went to. */
  mergedInto: z.string().optional(),
  /** Present (true) only on a topic with a poll (GET /topics/:topicId/poll). */
  hasPoll: z.literal(true).optional(),
  /** Its tags, when it has any (Discourse's, NodeBB's): lower case, at most five. */
  tags: z.array(z.string()).optional(),
  /** Present only on a topic whose author (or a moderator) chose a reply as its solution. */
  solution: z.object({ postId: z.string(), number: z.number().int(), authorId: z.string(), authorName: z.string() }).optional(),
  seq: z.number(),
  lastPost: postRef.nullable(),
  /** Only in GET /topics/:topicId: whether the requesting user may reply (the forum lets them, not locked or a moderator, not deleted). */
  may: z.object({ reply: z.boolean() }).optional(),
  /** Only in GET /forums/:forumId/topics, for a signed-in member (not guests, not bot tokens): whether it has posts they have not read. */
  unread: z.boolean().optional(),
  /** With `unread: true`: the member's read number + 1 (`GET /topics/:topicId?page=unread` finds the exact post). */
  firstUnread: z.number().int().optional(),
});
export const forum = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  topicCount: z.number(),
  postCount: z.number(),
  lastPost: postRef.nullable(),
  /** The forum-wide event cursor (see forum:subscribe). */
  seq: z.number(),
  /** Its place on the board index (GET /forums lists by it, then by creation). */
  order: z.number(),
  /** The category it is listed under, if any: the board index heads each run of forums with the same category. */
  category: z.string().optional(),
  /** A subforum's parent forum (phpBB's subforums); absent on the board index's own forums. */
  parentId: z.string().optional(),
  /** Present (true) only on a forum whose members' posts all wait for a moderator's approval (phpBB's per-forum approval). */
  approvePosts: z.literal(true).optional(),
  /** Only when the forum is not a public board (see forumPermissions). */
  permissions: forumPermissions.optional(),
  /** Only in GET /forums and GET /forums/:forumId/topics: whether the requesting user may start a topic here. */
  may: z.object({ post: z.boolean() }).optional(),
  /** Only in GET /forums, for a signed-in member (not guests, not bot tokens): whether a topic in it is unread. */
  unread: z.boolean().optional(),
});
/** POST /topics/:topicId/read: how far the member has now read the topic. */
export const topicReadResult = z.object({ topicId: z.string(), number: z.number().int() });
/** POST /forums/:forumId/read (with `forumId`) and POST /forums/read (without): topics last posted in up to `markedAt` count as read. */
export const forumMarkResult = z.object({ forumId: z.string().optional(), markedAt: z.string() });
/** GET /unread: the member's unread topics across the board, last posted in first, with their forums' titles. */
/** A page of topics from across the board (unread, unanswered), with the titles of the forums they may come from. */
export const topicsAcross = z.object({
  topics: z.array(topic),
  forums: z.array(z.object({ id: z.string(), title: z.string() })),
  total: z.number().int(),
  page: z.number().int(),
  pageCount: z.number().int(),
});
export const unreadTopics = topicsAcross;
export const thanks = z.object({
  postId: z.string(),
  thanksCount: z.number(),
  giver: z.object({ id: z.string(), thanksGiven: z.number() }),
  receiver: z.object({ id: z.string(), thanksReceived: z.number() }),
});
export const onlineUser = z.object({
  id: z.string(),
  username: z.string(),
  role,
  /** Only in GET /online answered to a moderator: a hidden member, listed for staff only. */
  hidden: z.boolean().optional(),
});
export const botName = z.object({ name: z.string() });
export const onlineSnapshot = z.object({
  total: z.number(),
  /** By username; at most the server's PRESENCE_LIST_LIMIT entries (the first ones). */
  registered: z.array(onlineUser),
  /** How many entries `registered` has before that cap: more than its length when capped. */
  registeredCount: z.number(),
  hiddenCount: z.number(),
  guestCount: z.number(),
  bots: z.array(botName),
});
/** GET /stats: phpBB's statistics under the board index (post and topic totals are the forum rows' sums). */
export const boardStats = z.object({
  /** Accounts that are not bots. */
  members: z.number().int(),
  newestMember: z.object({ id: z.string(), username: z.string() }).nullable(),
  /** The most visitors (members, guests and bots, as who-is-online counts them) ever online at once, and when. */
  mostOnline: z.object({ total: z.number().int(), at: z.string() }).nullable(),
});
/** An API token as listed to admins: never its secret. */
export const apiTokenInfo = z.object({
  id: z.string(),
  scopes: z.array(scope),
  /** Empty: every forum. */
  forums: z.array(z.string()),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
export const botSummary = z.object({ bot: userCard, tokens: z.array(apiTokenInfo) });
export const modlogAction = z.enum([
  'topic.lock',
  'topic.unlock',
  'topic.pin',
  'topic.announce',
  'topic.unannounce',
  'topic.unpin',
  'topic.move',
  'topic.split',
  'topic.merge',
  'topic.rename',
  'topic.retag',
  'topic.delete',
  'topic.restore',
  'post.edit',
  'post.delete',
  'post.restore',
  'post.move',
  'post.approve',
  'post.reject',
  'user.ban',
  'user.unban',
  'user.warn',
  'user.unwarn',
  'forum.update',
  'report.close',
  'poll.delete',
  'poll.close',
  'poll.reopen',
  'attachment.delete',
]);
/** One line of the moderation log (GET /modlog), newest first. */
export const modlogEntry = z.object({
  id: z.string(),
  action: modlogAction,
  actor: z.object({ id: z.string(), username: z.string() }),
  target: z.object({ type: z.enum(['topic', 'post', 'user', 'forum']), id: z.string() }),
  reason: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  at: z.string(),
});
/** A ban as answered to the moderator who set it. */
export const banInfo = z.object({ user: userCard, bannedUntil: z.string(), reason: z.string() });
/** One search hit: a light view of the post (a plain-text snippet, no body), its topic and its forum. */
export const searchHit = z.object({
  post: z.object({
    id: z.string(),
    topicId: z.string(),
    forumId: z.string(),
    /** Position in the topic, 1-based (GET /topics/:topicId?post=<id> answers the page holding it). */
    number: z.number(),
    subject: z.string(),
    author: userCard,
    createdAt: z.string(),
    editedAt: z.string().optional(),
    /** Plain text (never HTML) around the first match in the body, `…` where it is cut. */
    snippet: z.string(),
  }),
  /** `deleted: true` only in a moderator's results (others never see posts of deleted topics). */
  topic: z.object({ id: z.string(), title: z.string(), deleted: z.literal(true).optional() }),
  forum: z.object({ id: z.string(), title: z.string() }),
});
/** GET /search: newest first; `total` counts at most LIMITS.searchHitsMax hits, and `capped` says more matched. */
export const searchResult = z.object({
  hits: z.array(searchHit),
  total: z.number(),
  page: z.number(),
  pageCount: z.number(),
  capped: z.boolean(),
});

// ---------- bookmarks (phpBB's, Discourse's and NodeBB's) ----------
/** PUT /posts/:postId/bookmark: the note is optional; omitted keeps it, null or '' clears it. */
export const bookmarkBody = z.strictObject({ note: z.string().trim().max(LIMITS.bookmarkNoteMax).nullable().optional() });
export const bookmark = z.object({ postId: z.string(), topicId: z.string(), note: z.string().optional(), createdAt: z.string() });
/** GET /bookmarks: newest bookmark first, each as a search hit with its note; posts one may no longer read are left out (a page may then be short). */
export const bookmarksPage = z.object({
  bookmarks: z.array(searchHit.extend({ note: z.string().optional(), bookmarkedAt: z.string() })),
  total: z.number(),
  page: z.number(),
  pageCount: z.number(),
});

// ---------- notifications ----------
/**
 * Why a member is told: a reply in a topic they started (one per topic until they read it), a
 * mention (`@name`, or `@"name with spaces"`), a quote of them (`[quote="name"]`), a thanks
 * for one of their posts, (`topic`) a new topic in a forum they watch, (`solution`) their reply
 * chosen as a topic's answer, or (`approved`) a post of theirs that waited for a moderator now
 * posted (the actor is the moderator). One post tells each member at most once (quote, then mention, then reply).
 */
export const notificationKind = z.enum(['reply', 'mention', 'quote', 'thanks', 'topic', 'solution', 'approved']);
export const notification = z.object({
  id: z.string(),
  kind: notificationKind,
  /** Who replied, mentioned, quoted or thanked (for a reply: the first one since the member last read). */
  actor: z.object({ id: z.string(), username: z.string() }),
  topicId: z.string(),
  forumId: z.string(),
  topicTitle: z.string(),
  postId: z.string(),
  /** The post's position in its topic (GET /topics/:topicId?post=<postId> answers its page). */
  postNumber: z.number(),
  createdAt: z.string(),
  read: z.boolean(),
});
/** GET /notifications?page=N: newest first, only those whose forum the member may still read. */
export const notificationsPage = z.object({
  notifications: z.array(notification),
  unreadCount: z.number(),
  page: z.number(),
  pageCount: z.number(),
});
/** POST /notifications/read: these (the member's own; others are ignored), or with no `ids`, all. */
export const markNotificationsReadBody = z.strictObject({ ids: z.array(objectId).min(1).max(LIMITS.notificationsReadMax).optional() });
/** Pushed to the member's own sockets (every tab) when a notification is made. */
export const notificationNewEvent = z.object({ notification, unreadCount: z.number() });
/** Pushed to the member's own sockets when some were marked read, so every tab agrees. */
export const notificationsReadEvent = z.object({ ids: z.array(z.string()).optional(), all: z.boolean(), unreadCount: z.number() });

/** One line of phpBB's profile: where a member posted most, with how many posts and their share (%, one decimal) of the member's post count. */
const activityPlace = z.object({ id: z.string(), title: z.string(), posts: z.number().int(), share: z.number() });
/** GET /users/:userId/activity: phpBB's "Most active forum" and "Most active topic", among what the viewer may read. */
export const memberActivity = z.object({ userId: z.string(), mostActiveForum: activityPlace.nullable(), mostActiveTopic: activityPlace.nullable() });
/** GET /users?prefix=: members whose name starts so (for @mention and To suggestions). */
export const userPrefixQuery = z.object({ prefix: z.string().trim().min(1).max(LIMITS.usernameMax) });
export const userSuggestions = z.object({ users: z.array(z.object({ id: z.string(), username: z.string() })) });

// ---------- the member list (phpBB's "Members" and "The team") ----------
/** GET /members: sorted by name (default, A to Z), posts (most first), joined (earliest first) or thanks received (most first); `order` turns it round. */
export const membersQuery = z.object({
  sort: z.enum(['name', 'posts', 'joined', 'thanks']).default('name'),
  order: z.enum(['asc', 'desc']).optional(),
  /** `team`: moderators and admins only (phpBB's "The team"). */
  filter: z.enum(['all', 'team']).default('all'),
  /** Names starting with this (any case). */
  prefix: z.string().trim().min(1).max(LIMITS.usernameMax).optional(),
  page: pageQuery.shape.page,
});
export const membersPage = z.object({
  members: z.array(userCard),
  /** Members the filter matches (bot accounts are never listed). */
  total: z.number().int(),
  page: z.number().int(),
  pageCount: z.number().int(),
});

// ---------- reports (phpBB's "Report this post") ----------
/** POST /posts/:postId/report: why the post should be looked at. */
export const reportPostBody = z.strictObject({ reason: trimmed(1, LIMITS.reasonMax) });
/** POST /reports/:reportId/close: optionally, what was done. */
export const closeReportBody = z.strictObject({ note: trimmed(1, LIMITS.reasonMax).optional() });
export const reportStatus = z.enum(['open', 'closed']);
export const postReport = z.object({
  id: z.string(),
  status: reportStatus,
  reason: z.string(),
  reporter: z.object({ id: z.string(), username: z.string() }),
  createdAt: z.string(),
  /** The post as it was reported: where it is, whose it is, and the start of its text. */
  post: z.object({
    id: z.string(),
    topicId: z.string(),
    forumId: z.string(),
    number: z.number(),
    author: z.object({ id: z.string(), username: z.string() }),
    snippet: z.string(),
  }),
  topicTitle: z.string(),
  closedBy: z.object({ id: z.string(), username: z.string() }).optional(),
  closedAt: z.string().optional(),
  note: z.string().optional(),
});
/** GET /reports?status=open|closed&page=N (moderators). */
export const reportsQuery = z.object({ status: reportStatus.default('open'), page: pageQuery.shape.page });
export const reportsPage = z.object({
  reports: z.array(postReport),
  /** Open reports on the whole board. */
  openCount: z.number(),
  page: z.number(),
  pageCount: z.number(),
});
/** Pushed to moderators: a report was made (or a member reported the same post again with a new reason), or closed. */
export const reportEvent = z.object({ report: postReport, openCount: z.number() });

// ---------- posts awaiting approval ----------
/**
 * A new member's post held for a moderator (phpBB's "Posts awaiting approval"): a reply to a
 * topic, or a new topic (then `topicTitle` is its title). Not in the topic until approved.
 */
export const queuedPost = z.object({
  id: z.string(),
  kind: z.enum(['reply', 'topic']),
  author: z.object({ id: z.string(), username: z.string() }),
  forumId: z.string(),
  /** Replies only: the topic it answers. */
  topicId: z.string().optional(),
  topicTitle: z.string(),
  subject: z.string(),
  body: z.string(),
  /** Sanitized HTML, as the post would show. */
  bodyHtml: z.string(),
  /** A new topic's poll, as its author wrote it. */
  hasPoll: z.literal(true).optional(),
  createdAt: z.string(),
});
/** A post held for approval instead of stored: what POST /topics/:id/posts (202), POST /forums/:id/topics (202) and post:create answer then. */
export const heldPost = z.object({ queued: queuedPost });
/** GET /queue (moderators): oldest first, as phpBB's queue. */
export const queuePage = z.object({ posts: z.array(queuedPost), count: z.number(), page: z.number(), pageCount: z.number() });
/**
 * POST /queue/:id/reject: an optional reason (for the moderation log, and for the author), and
 * whether to tell the author (default yes: a private message from the moderator with the reason
 * and their text; no for spam).
 */
export const rejectQueuedBody = z.strictObject({ reason: trimmed(1, LIMITS.reasonMax).optional(), tell: z.boolean().optional() });
/** POST /queue/:id/reject's answer: `told` when the author got the private message. */
export const rejectedQueued = z.object({ id: z.string(), rejected: z.literal(true), told: z.boolean() });
/** Pushed to moderators: a post joined or left the queue; `count` is the queue's size now. */
export const queueEvent = z.object({ post: queuedPost, count: z.number() });
/** GET /queue/mine: the member's own posts awaiting approval, oldest first. */
export const myQueuePage = z.object({ posts: z.array(queuedPost), total: z.number(), page: z.number(), pageCount: z.number() });
/** Pushed to the author's own sockets: one of their posts was held (from any tab). */
export const queueHeldEvent = z.object({ post: queuedPost });
/**
 * Pushed to the author's own sockets: a moderator decided on their held post. Approved: `postId`
 * and `topicId` say where it now is (the post itself arrives as any post does). Rejected: the
 * reason if one was given, and whether the moderator's private message went (`told`, `conversationId`).
 */
export const queueDecidedEvent = z.object({
  id: z.string(),
  outcome: z.enum(['approved', 'rejected']),
  post: queuedPost,
  postId: z.string().optional(),
  topicId: z.string().optional(),
  reason: z.string().optional(),
  /** Rejected: whether the author was sent the moderator's private message, and in which conversation (sent before this push). */
  told: z.boolean().optional(),
  conversationId: z.string().optional(),
});

// ---------- private messages ----------
const memberRef = z.object({ id: z.string(), username: z.string() });
/** POST /conversations: a private conversation with these members (by username), and its first message. */
export const createConversationBody = z.strictObject({
  to: z.array(z.string().trim().min(1).max(LIMITS.usernameMax)).min(1).max(LIMITS.conversationRecipientsMax),
  title: trimmed(1, LIMITS.titleMax),
  body: trimmed(1, LIMITS.bodyMax),
  clientId: clientId.optional(),
});
/** POST /conversations/:conversationId/messages. */
export const sendMessageBody = z.strictObject({
  body: trimmed(1, LIMITS.bodyMax),
  clientId: clientId.optional(),
});
export const privateMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  author: memberRef,
  body: z.string(),
  /** Sanitized HTML rendered by the server, as for posts. */
  bodyHtml: z.string(),
  createdAt: z.string(),
  /** Position in the conversation, 1-based. */
  number: z.number(),
  /** Present once its author edited it: when last, and how many times. */
  editedAt: z.string().optional(),
  editCount: z.number().int().optional(),
  /** Present once its author deleted it: `body` and `bodyHtml` are then empty (the text is gone from the server); the deletion counts in `editCount`. */
  deleted: z.literal(true).optional(),
});
/** PATCH /conversations/:conversationId/messages/:messageId: its author's new text. */
export const editMessageBody = z.strictObject({ body: trimmed(1, LIMITS.bodyMax) });
export const conversation = z.object({
  id: z.string(),
  title: z.string(),
  /** Everyone in it, its starter first. */
  participants: z.array(memberRef),
  createdAt: z.string(),
  messageCount: z.number(),
  lastMessage: z.object({ id: z.string(), author: memberRef, snippet: z.string(), createdAt: z.string() }),
  /** For the requesting member: a message they have not read. */
  unread: z.boolean(),
});
/** GET /conversations?page=N: the member's conversations, last written in first. */
export const conversationsPage = z.object({
  conversations: z.array(conversation),
  /** Conversations with a message the member has not read. */
  unreadCount: z.number(),
  page: z.number(),
  pageCount: z.number(),
});
/** GET /conversations/:conversationId?page=N (or `last`): one page of its messages, oldest first. */
export const conversationMessagesPage = z.object({
  conversation,
  messages: z.array(privateMessage),
  page: z.number(),
  pageCount: z.number(),
});
export const conversationPageQuery = z.object({ page: z.union([z.literal('last'), pageQuery.shape.page]) });
/** Pushed to every participant's own sockets: a new message (the conversation as that member now sees it). */
export const messageNewEvent = z.object({ conversation, message: privateMessage, unreadCount: z.number() });
/** Pushed to every participant's own sockets when a message's author edited it. */
export const messageUpdatedEvent = z.object({ conversationId: z.string(), message: privateMessage });
/** Pushed to the member's own sockets when they have read a conversation (in any tab). */
export const conversationReadEvent = z.object({ conversationId: z.string(), unreadCount: z.number() });

// ---------- topic events (live and replayed) ----------
const eventBase = { topicId: z.string(), forumId: z.string(), seq: z.number(), forumSeq: z.number() };
export const postCreatedEvent = z.object({
  ...eventBase,
  post,
  /** Only on a topic's opening post, when the topic has a poll: a listing adds the new topic from this event. */
  topicHasPoll: z.literal(true).optional(),
  /** Only on a topic's opening post, when the topic has tags: a listing adds the new topic with them. */
  topicTags: z.array(z.string()).optional(),
  /** Only when a moderator moved the post here from another topic (a split, move or merge): that topic. */
  movedFrom: z.object({ topicId: z.string(), title: z.string() }).optional(),
});
export const postUpdatedEvent = z.object({ ...eventBase, post });
export const postDeletedEvent = z.object({
  ...eventBase,
  postId: z.string(),
  /** Only when the post was moved to another topic (a split, move or merge): that topic, where it now has a `post:created`. */
  movedTo: z.object({ topicId: z.string(), title: z.string() }).optional(),
});
export const thanksChangedEvent = z.object({ ...eventBase, thanks });
export const topicUpdatedEvent = z.object({ ...eventBase, topic });
/** A seq that was claimed but never stored (its writer failed); replayed so cursors move on. */
export const noopEvent = z.object(eventBase);

export const topicEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('post:created'), data: postCreatedEvent }),
  z.object({ type: z.literal('post:updated'), data: postUpdatedEvent }),
  z.object({ type: z.literal('post:deleted'), data: postDeletedEvent }),
  z.object({ type: z.literal('thanks:changed'), data: thanksChangedEvent }),
  z.object({ type: z.literal('topic:updated'), data: topicUpdatedEvent }),
  z.object({ type: z.literal('noop'), data: noopEvent }),
]);

export const subscribeAck = z.object({
  /** Topic subscribe: the topic's seq. Forum subscribe: the forum's cursor. */
  seq: z.number(),
  missed: z.array(topicEvent).optional(),
  resync: z.literal(true).optional(),
  /** More missed events remain: subscribe again with sinceSeq = the last one's seq. */
  more: z.boolean().optional(),
});

export const presenceTopic = z.object({
  topicId: z.string(),
  /** By username; at most the server's PRESENCE_LIST_LIMIT entries (the first ones). */
  viewers: z.array(onlineUser),
  /** Named viewers before that cap: more than `viewers.length` when capped. */
  viewerCount: z.number(),
  guestCount: z.number(),
  bots: z.array(botName),
  /** Hidden members viewing: counted, never named. */
  hiddenCount: z.number().optional(),
});
/**
 * Who is browsing a forum (phpBB's "Users browsing this forum"): everyone whose latest page is
 * the forum's listing or one of its topics. To sockets that subscribed with `browsing: true`.
 */
export const presenceForum = z.object({
  forumId: z.string(),
  /** By username; at most the server's PRESENCE_LIST_LIMIT entries (the first ones). */
  viewers: z.array(onlineUser),
  viewerCount: z.number(),
  guestCount: z.number(),
  bots: z.array(botName),
  /** Hidden members browsing: counted, never named. */
  hiddenCount: z.number(),
});
export const typingEvent = z.object({
  topicId: z.string(),
  user: z.object({ id: z.string(), username: z.string() }),
  typing: z.boolean(),
});
export const presenceDetailEntry = z.object({
  kind: z.enum(['member', 'guest', 'bot']),
  id: z.string().optional(),
  username: z.string().optional(),
  name: z.string().optional(),
  role: role.optional(),
  hidden: z.boolean().optional(),
  topicId: z.string().optional(),
  /** The title of `topicId` (a title is not secret from moderators, who alone receive this). */
  topicTitle: z.string().optional(),
  page: z.number().optional(),
  /** Set instead of `topicId` when the visitor's latest page is this forum's topic list. */
  forumId: z.string().optional(),
  /** The title of `forumId`. */
  forumTitle: z.string().optional(),
  since: z.string(),
  lastActive: z.string(),
});
export const presenceDetail = z.object({ entries: z.array(presenceDetailEntry) });

// ---------- inferred types ----------
export type RegisterBody = z.infer<typeof registerBody>;
export type LoginBody = z.infer<typeof loginBody>;
export type CreateForumBody = z.infer<typeof createForumBody>;
export type CreateTopicBody = z.infer<typeof createTopicBody>;
export type CreatePostBody = z.infer<typeof createPostBody>;
export type EditPostBody = z.infer<typeof editPostBody>;
export type EditProfileBody = z.infer<typeof editProfileBody>;
export type SpecialRankBody = z.infer<typeof specialRankBody>;
export type GroupsBody = z.infer<typeof groupsBody>;
export type PermissionEntry = z.infer<typeof permissionEntry>;
export type ForumPermissions = z.infer<typeof forumPermissions>;
export type UpdateForumBody = z.infer<typeof updateForumBody>;
export type MoveTopicBody = z.infer<typeof moveTopicBody>;
export type EditTopicBody = z.infer<typeof editTopicBody>;
export type TagList = z.infer<typeof tagList>;
export type TopicPosters = z.infer<typeof topicPosters>;
export type BanBody = z.infer<typeof banBody>;
export type Warning = z.infer<typeof warning>;
export type WarningList = z.infer<typeof warningList>;
export type ModlogAction = z.infer<typeof modlogAction>;
export type ModlogEntry = z.infer<typeof modlogEntry>;
export type BanInfo = z.infer<typeof banInfo>;
export type SearchQuery = z.infer<typeof searchQuery>;
export type TopicPageQuery = z.infer<typeof topicPageQuery>;
export type MarkTopicReadBody = z.infer<typeof markTopicReadBody>;
export type TopicReadResult = z.infer<typeof topicReadResult>;
export type ForumMarkResult = z.infer<typeof forumMarkResult>;
export type UnreadTopics = z.infer<typeof unreadTopics>;
export type TopicsAcross = z.infer<typeof topicsAcross>;
export type SearchHit = z.infer<typeof searchHit>;
export type SearchResult = z.infer<typeof searchResult>;
export type UserSuggestions = z.infer<typeof userSuggestions>;
export type MembersQuery = z.infer<typeof membersQuery>;
export type MembersPage = z.infer<typeof membersPage>;
export type ReportPostBody = z.infer<typeof reportPostBody>;
export type CloseReportBody = z.infer<typeof closeReportBody>;
export type ReportStatus = z.infer<typeof reportStatus>;
export type PostReport = z.infer<typeof postReport>;
export type ReportsPage = z.infer<typeof reportsPage>;
export type ReportEvent = z.infer<typeof reportEvent>;
export type QueuedPost = z.infer<typeof queuedPost>;
export type HeldPost = z.infer<typeof heldPost>;
export type QueuePage = z.infer<typeof queuePage>;
export type QueueEvent = z.infer<typeof queueEvent>;
export type RejectedQueued = z.infer<typeof rejectedQueued>;
export type MemberActivity = z.infer<typeof memberActivity>;
export type MyQueuePage = z.infer<typeof myQueuePage>;
export type QueueHeldEvent = z.infer<typeof queueHeldEvent>;
export type QueueDecidedEvent = z.infer<typeof queueDecidedEvent>;
export type PostRevisions = z.infer<typeof postRevisions>;
export type BookmarkBody = z.infer<typeof bookmarkBody>;
export type Bookmark = z.infer<typeof bookmark>;
export type BookmarksPage = z.infer<typeof bookmarksPage>;
export type AttachmentType = z.infer<typeof attachmentType>;
export type Attachment = z.infer<typeof attachment>;
export type MyAttachments = z.infer<typeof myAttachments>;
export type PollInput = z.infer<typeof pollInput>;
export type PollVoteBody = z.infer<typeof pollVoteBody>;
export type Poll = z.infer<typeof poll>;
export type PollUpdatedEvent = z.infer<typeof pollUpdatedEvent>;
export type CreateConversationBody = z.infer<typeof createConversationBody>;
export type SendMessageBody = z.infer<typeof sendMessageBody>;
export type PrivateMessage = z.infer<typeof privateMessage>;
export type Conversation = z.infer<typeof conversation>;
export type ConversationsPage = z.infer<typeof conversationsPage>;
export type ConversationMessagesPage = z.infer<typeof conversationMessagesPage>;
export type MessageNewEvent = z.infer<typeof messageNewEvent>;
export type MessageUpdatedEvent = z.infer<typeof messageUpdatedEvent>;
export type EditMessageBody = z.infer<typeof editMessageBody>;
export type ConversationReadEvent = z.infer<typeof conversationReadEvent>;
export type NotificationKind = z.infer<typeof notificationKind>;
export type Notification = z.infer<typeof notification>;
export type NotificationsPage = z.infer<typeof notificationsPage>;
export type MarkNotificationsReadBody = z.infer<typeof markNotificationsReadBody>;
export type NotificationNewEvent = z.infer<typeof notificationNewEvent>;
export type NotificationsReadEvent = z.infer<typeof notificationsReadEvent>;
export type TopicSubscribePayload = z.infer<typeof topicSubscribePayload>;
export type TopicUnsubscribePayload = z.infer<typeof topicUnsubscribePayload>;
export type ForumSubscribePayload = z.infer<typeof forumSubscribePayload>;
export type ForumUnsubscribePayload = z.infer<typeof forumUnsubscribePayload>;
export type PostCreatePayload = z.infer<typeof postCreatePayload>;
export type ThanksPayload = z.infer<typeof thanksPayload>;
export type TypingPayload = z.infer<typeof typingPayload>;
export type Role = z.infer<typeof role>;
export type Scope = z.infer<typeof scope>;
export type CreateBotBody = z.infer<typeof createBotBody>;
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;
export type ApiTokenInfo = z.infer<typeof apiTokenInfo>;
export type BotSummary = z.infer<typeof botSummary>;
export type UserCard = z.infer<typeof userCard>;
export type PostRef = z.infer<typeof postRef>;
export type Post = z.infer<typeof post>;
export type Topic = z.infer<typeof topic>;
export type Forum = z.infer<typeof forum>;
export type Thanks = z.infer<typeof thanks>;
export type OnlineUser = z.infer<typeof onlineUser>;
export type OnlineSnapshot = z.infer<typeof onlineSnapshot>;
export type BoardStats = z.infer<typeof boardStats>;
export type PostCreatedEvent = z.infer<typeof postCreatedEvent>;
export type PostUpdatedEvent = z.infer<typeof postUpdatedEvent>;
export type PostDeletedEvent = z.infer<typeof postDeletedEvent>;
export type ThanksChangedEvent = z.infer<typeof thanksChangedEvent>;
export type TopicUpdatedEvent = z.infer<typeof topicUpdatedEvent>;
export type NoopEvent = z.infer<typeof noopEvent>;
export type TopicEvent = z.infer<typeof topicEvent>;
export type TopicEventType = TopicEvent['type'];
export type SubscribeAck = z.infer<typeof subscribeAck>;
export type PresenceTopic = z.infer<typeof presenceTopic>;
export type TypingEvent = z.infer<typeof typingEvent>;
export type PresenceForum = z.infer<typeof presenceForum>;
export type PresenceDetail = z.infer<typeof presenceDetail>;
export type PresenceDetailEntry = z.infer<typeof presenceDetailEntry>;
