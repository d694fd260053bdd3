/** Input limits shared by the server's validation and the client's forms. */
export const LIMITS = {
  usernameMin: 2,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 200,
  titleMax: 200,
  subjectMax: 200,
  /** phpBB's "Reason for edit". */
  editReasonMax: 100,
  bodyMax: 60_000,
  forumDescriptionMax: 2_000,
  /** A forum's category name (phpBB's categories on the board index). */
  categoryMax: 60,
  /** A forum's place on the board index. */
  forumOrderMax: 100_000,
  signatureMax: 500,
  locationMax: 100,
  fieldKeyMax: 40,
  fieldValueMax: 200,
  fieldsMax: 10,
  avatarUrlMax: 500,
  rankTitleMax: 60,
  groupNameMax: 40,
  groupsMax: 20,
  clientIdMax: 100,
  postsPerPage: 20,
  /** The highest page number a listing accepts; a page past the end is answered with the last page. */
  pageMax: 1_000_000,
  topicsPerPage: 25,
  /** The most topics one connection may be subscribed to at once. */
  topicSubscriptionsPerSocket: 50,
  /** Entries in one forum permission list (roles and `group:<name>`). */
  permissionEntriesMax: 50,
  /** A moderator's reason for a ban or another action. */
  reasonMax: 500,
  /** The longest ban, in minutes (100 years: in effect permanent). */
  banMinutesMax: 52_560_000,
  modlogPerPage: 50,
  /** Search (GET /search): the query's length after trimming, its most words, and the most hits it counts (newest first). */
  searchQueryMin: 2,
  searchQueryMax: 100,
  searchWordsMax: 5,
  searchHitsMax: 1_000,
  notificationsPerPage: 25,
  /** Posts awaiting approval, a page of the moderators' queue. */
  queuePerPage: 20,
  /** Posts in an Atom feed (board, forum or topic), newest first. */
  feedEntries: 20,
  /** Ids in one POST /notifications/read. */
  notificationsReadMax: 100,
  /** Members one post can mention or quote (the first ones named; the rest are not told). */
  mentionsPerPost: 10,
  /** Notifications kept per member: older ones are pruned as new ones arrive. */
  notificationsKept: 500,
  /** Private messages: the most members one conversation is started with (besides its starter), and page sizes. */
  conversationRecipientsMax: 10,
  conversationsPerPage: 25,
  messagesPerPage: 20,
  reportsPerPage: 25,
  /** Names one GET /users?prefix= answers (mention and recipient suggestions). */
  userSuggestionsMax: 8,
  /** Members one member may ignore. */
  ignoredMax: 100,
  /** Members one member may keep as friends. */
  friendsMax: 100,
  /** The member list (GET /members). */
  membersPerPage: 25,
  /** Polls (phpBB's defaults): a question, 2 to 10 options, open for at most a year. */
  pollQuestionMax: 255,
  pollOptionMax: 100,
  pollOptionsMin: 2,
  pollOptionsMax: 10,
  pollDaysMax: 365,
  /** Bookmarks: the most one member keeps, a note's length, and a page of them. */
  bookmarksMax: 1_000,
  bookmarkNoteMax: 200,
  bookmarksPerPage: 20,
  /** Attachments: the longest file name kept (longer ones are cut). */
  attachmentNameMax: 100,
  /** Attachments listed in one GET /users/me/attachments page. */
  attachmentsPerPage: 50,
  /** Posts one split or move names (phpBB's "Split topic" and "Move posts"); a merge moves every post. */
  movePostsMax: 200,
  /** Topic tags (Discourse's, NodeBB's): how many one topic carries, one tag's length, and how many GET /tags lists. */
  tagsPerTopic: 5,
  tagMax: 30,
  tagsListed: 50,
} as const;
