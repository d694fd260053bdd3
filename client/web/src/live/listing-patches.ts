import type { Forum, Post, PostRef, Topic, TopicEvent } from '../../../sdk/index.js';
import { LIMITS } from '../../../../shared/limits.js';

/**
 * Live listings without asking the server again. The board index and a forum's first page follow
 * their forums' event streams (gap-free, in forum order); the common event, a new post, says all
 * a listing shows of it: counts, "last post", unread, the topic's place. So it is applied here,
 * and only the rare events whose effect a listing cannot work out (a deletion, a move, a lock, a
 * resync) send the page back to the server. Before, every viewer fetched the listing again after
 * every burst: on a busy board, one `GET /forums` (a member's, with unread flags, ~9 ms of the
 * embedded database's CPU) per viewer per second.
 *
 * `patched`: the listing changed, draw it again; `unchanged`: nothing it shows moved; `refetch`:
 * ask the server.
 */
export type PatchResult = 'patched' | 'unchanged' | 'refetch';

/** Who reads the listing: a member's own posts are not news to them. */
export interface Reader {
  id: string | null;
}

/** The board index's row for the event's forum. */
export function patchBoard(forums: Forum[], event: TopicEvent, reader: Reader): PatchResult {
  const forum = forums.find((f) => f.id === event.data.forumId);
  if (!forum) return 'refetch'; // a forum this page did not list
  if (!advance(forum, event)) return 'unchanged';
  switch (event.type) {
    case 'post:created': {
      const { post } = event.data;
      forum.postCount += 1;
      if (post.number === 1) forum.topicCount += 1;
      forum.lastPost = refOf(post);
      if (forum.unread !== undefined && post.author.id !== reader.id) forum.unread = true;
      return 'patched';
    }
    case 'post:updated':
      return renamed(forum.lastPost, event.data.post) ? 'patched' : 'unchanged';
    case 'thanks:changed':
    case 'noop':
      return 'unchanged';
    default:
      return 'refetch'; // deletions change counts and perhaps "last post"; moves, two forums'
  }
}

/** A forum's page of topics (newest activity first; announcements above, and on the first page the pinned ones). Only the first page is patched. */
export interface TopicPage {
  forum: Forum;
  topics: Topic[];
  page: number;
  pageCount: number;
}

export function patchTopicPage(listing: TopicPage, event: TopicEvent, reader: Reader): PatchResult {
  if (event.data.forumId !== listing.forum.id) return 'refetch';
  if (!advance(listing.forum, event)) return 'unchanged';
  if (event.type === 'thanks:changed' || event.type === 'noop') return 'unchanged';
  const at = listing.topics.findIndex((t) => t.id === event.data.topicId);
  if (event.type === 'post:updated') {
    const shown = listing.topics[at];
    return shown && renamed(shown.lastPost, event.data.post) ? 'patched' : 'unchanged';
  }
  // A new post lifts its topic to the top of the first page; on a later page it would leave it.
  if (event.type !== 'post:created' || listing.page !== 1) return 'refetch';
  const { post } = event.data;
  const mine = post.author.id === reader.id;
  const tracksUnread = reader.id !== null; // members' listings carry `unread`
  let topic: Topic;
  // An announcement's place among the others (global ones first, each by activity) is the server's to say.
  if (at >= 0 && listing.topics[at].announcement) return 'refetch';
  if (at >= 0) {
    // A reply; or a new topic listed (read between its creation and its first post's claim).
    [topic] = listing.topics.splice(at, 1);
  } else if (post.number === 1) {
    topic = { id: post.topicId, forumId: post.forumId, title: post.subject, authorId: post.author.id, authorName: post.author.username, createdAt: post.createdAt, postCount: 0, views: 0, locked: false, seq: post.seq, lastPost: null, ...(event.data.topicHasPoll && { hasPoll: true as const }), ...(event.data.topicTags?.length && { tags: event.data.topicTags }) };
    listing.forum.topicCount += 1;
    // Pages count the forum's topics that are neither pinned nor announcements (the first page
    // shows every one of those too; global announcements from other forums are not in its count).
    const outside = listing.topics.filter((t) => (t.pinned || t.announcement) && t.forumId === listing.forum.id).length;
    listing.pageCount = Math.max(1, Math.ceil((listing.forum.topicCount - outside) / LIMITS.topicsPerPage));
  } else {
    return 'refetch'; // a reply to a topic on a later page: its title and author are not here
  }
  topic.postCount += 1;
  topic.lastPost = refOf(post);
  topic.seq = Math.max(topic.seq, post.seq);
  if (tracksUnread) {
    if (mine) {
      // Posting marks the topic read up to the new post (the server does the same).
      topic.unread = false;
      delete topic.firstUnread;
    } else if (!topic.unread) {
      topic.unread = true;
      topic.firstUnread = post.number;
    }
  }
  listing.forum.postCount += 1;
  listing.forum.lastPost = topic.lastPost;
  // Announcements head the page, then pinned topics, then the rest: a pinned topic goes to the top
  // of the pinned ones, any other to the top of the rest; the page holds topicsPerPage of the rest.
  const announced = listing.topics.filter((t) => t.announcement).length;
  const pinned = listing.topics.filter((t) => t.pinned && !t.announcement).length;
  listing.topics.splice(topic.pinned ? announced : announced + pinned, 0, topic);
  if (listing.topics.length - announced - pinned - (topic.pinned ? 1 : 0) > LIMITS.topicsPerPage) listing.topics.pop();
  return 'patched';
}

/**
 * Whether the event is news to the listing: a listing's forum `seq` is the forum's cursor when it
 * was read, and counts every write claimed by then (their counts ride on the claim), so events
 * at or below it are in it already. Moves the cursor on.
 */
function advance(forum: Forum, event: TopicEvent): boolean {
  if (event.data.forumSeq <= forum.seq) return false;
  forum.seq = event.data.forumSeq;
  return true;
}

function refOf(post: Post): PostRef {
  return { id: post.id, topicId: post.topicId, subject: post.subject, authorId: post.author.id, authorName: post.author.username, createdAt: post.createdAt };
}

/** An edit to the post shown as "last post" may have changed its subject. */
function renamed(ref: PostRef | null, post: Post): boolean {
  if (!ref || ref.id !== post.id || ref.subject === post.subject) return false;
  ref.subject = post.subject;
  return true;
}
