/** The only place room names are built. */
export const room = {
  topic: (topicId: string) => `topic:${topicId}`,
  forum: (forumId: string) => `forum:${forumId}`,
  /** Sockets showing a forum's page: they hear who is browsing it (`presence:forum`). */
  browsing: (forumId: string) => `browsing:${forumId}`,
  user: (userId: string) => `user:${userId}`,
  /** Every socket authenticated with one API token: dropped together when it is revoked. */
  apiToken: (tokenId: string) => `apiToken:${tokenId}`,
  /**
   * Sockets of API tokens limited to some forums or without the `read` scope: left out of the
   * member's notification pushes (which may name topics elsewhere); they read GET /notifications.
   */
  partialTokens: () => 'partialTokens',
  /** Moderators and admins: receives presence:detail. */
  moderators: () => 'moderators',
} as const;
