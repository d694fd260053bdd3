import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';

/** A "last post" as topics and forums store it. */
export interface LastPostRef {
  id: string;
  topicId: string;
  subject: string;
  authorId: string;
  authorName: string;
  createdAt: Date;
}

/**
 * The "last post" shown for each topic and forum in the listings. A reply sets it in its claim
 * (see post.service); this module keeps it right when posts go away, come back or are renamed.
 * Every write is conditional on what it replaces, so none can undo a reply claimed meanwhile.
 */
export function createLastPost({ Post, Topic, Forum, User }: Pick<Models, 'Post' | 'Topic' | 'Forum' | 'User'>) {
  /** The topic's newest stored, not deleted post, as a reference; null for none. */
  async function newestIn(topicId: string): Promise<LastPostRef | null> {
    const newest = await Post.findOne({ topicId, deleted: false }, { subject: 1, authorId: 1, createdAt: 1 }).sort({ number: -1 }).lean();
    if (!newest) return null;
    const author = await User.findById(newest.authorId, { username: 1 }).lean();
    return { id: String(newest._id), topicId, subject: newest.subject, authorId: String(newest.authorId), authorName: author?.username ?? '', createdAt: newest.createdAt };
  }

  /** Where the topic's "last post" still names `staleId`, name its newest stored post instead. */
  async function replaceInTopic(topicId: string, staleId: string): Promise<void> {
    const ref = await newestIn(topicId);
    await Topic.updateOne({ _id: topicId, 'lastPost.id': staleId }, { $set: { lastPost: ref, ...(ref && { lastPostAt: ref.createdAt }) } });
  }

  /** Where the forum's "last post" matches `stale`, name its newest topic's last post instead. */
  async function repointForum(forumId: string, stale: Record<string, string | null>): Promise<void> {
    const newestTopic = await Topic.findOne({ forumId, deleted: op({ $ne: true }), lastPost: op({ $ne: null }) }, { lastPost: 1 }).sort({ lastPostAt: -1, _id: -1 }).lean();
    await Forum.updateOne({ _id: forumId, ...stale }, { $set: { lastPost: newestTopic?.lastPost ?? null } });
  }

  /** `ref` becomes the forum's last post unless the one it names is newer. */
  async function offerToForum(forumId: string, ref: LastPostRef): Promise<void> {
    await Forum.updateOne({ _id: forumId, ...namesOlderOrNone(ref) }, { $set: { lastPost: ref } });
  }

  return {
    newestIn,
    offerToForum,
    /** Where the forum's "last post" still names `staleId`, name its newest topic's last post instead. */
    replaceInForum: (forumId: string, staleId: string) => repointForum(forumId, { 'lastPost.id': staleId }),
    /** A topic left the forum (moved): the forum stops naming its posts. */
    topicLeft: (forumId: string, topicId: string) => repointForum(forumId, { 'lastPost.topicId': topicId }),

    /** A post was deleted or never stored: the topic and the forum stop naming it. */
    async forget(topicId: string, forumId: string, postId: string): Promise<void> {
      await replaceInTopic(topicId, postId);
      await repointForum(forumId, { 'lastPost.id': postId });
    },

    /** A post came back: it becomes the last post wherever it is newer than the one named. */
    async offer(forumId: string, ref: LastPostRef): Promise<void> {
      await Topic.updateOne({ _id: ref.topicId, ...namesOlderOrNone(ref) }, { $set: { lastPost: ref, lastPostAt: ref.createdAt } });
      await offerToForum(forumId, ref);
    },

    /**
     * Posts were moved in or out (see post-moves): the topic names its newest stored post again,
     * and its forum its newest topic's. Each write is conditional on what was named just before,
     * so a reply claimed meanwhile (which names itself) wins.
     */
    async refresh(topicId: string, forumId: string): Promise<void> {
      const [topic, forum, ref] = await Promise.all([Topic.findById(topicId, { lastPost: 1 }).lean(), Forum.findById(forumId, { lastPost: 1 }).lean(), newestIn(topicId)]);
      const was = topic?.lastPost?.id ?? null;
      if ((ref?.id ?? null) !== was) await Topic.updateOne({ _id: topicId, 'lastPost.id': was }, { $set: { lastPost: ref, ...(ref && { lastPostAt: ref.createdAt }) } });
      await repointForum(forumId, { 'lastPost.id': forum?.lastPost?.id ?? null });
    },

    /** A post's subject changed: so does the "last post" that names it. */
    async renamed(topicId: string, forumId: string, postId: string, subject: string): Promise<void> {
      await Promise.all([
        Topic.updateOne({ _id: topicId, 'lastPost.id': postId }, { $set: { 'lastPost.subject': subject } }),
        Forum.updateOne({ _id: forumId, 'lastPost.id': postId }, { $set: { 'lastPost.subject': subject } }),
      ]);
    },
  };
}
export type LastPost = ReturnType<typeof createLastPost>;

/** A filter for a document whose "last post" is no newer than `ref`, or that has none. */
function namesOlderOrNone(ref: LastPostRef) {
  return { $or: [{ lastPost: null }, { 'lastPost.createdAt': op({ $lte: ref.createdAt }) }] };
}
