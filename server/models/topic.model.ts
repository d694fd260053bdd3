import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';
import { postRefSchema } from './post-ref.schema.js';

export const topicSchema = new Schema({
  forumId: { type: Types.ObjectId, required: true },
  title: { type: String, required: true },
  authorId: { type: Types.ObjectId, required: true },
  authorName: { type: String, required: true },
  createdAt: { type: Date, default: () => new Date(), required: true },
  /** Visible posts. */
  postCount: { type: Number, default: 0, required: true },
  /** phpBB's "Views": pages of it served to people (not bots), each viewer once an hour (services/topic-views.ts). */
  views: { type: Number, default: 0 },
  /** Post numbers handed out so far (never goes down). */
  postNumbers: { type: Number, default: 0, required: true },
  locked: { type: Boolean, default: false },
  /** Pinned by a moderator to the top of its forum's first page. Absent (never false) when not. */
  pinned: { type: Boolean },
  /** phpBB's announcements: 'forum' heads its forum's pages, 'global' every forum's; absent otherwise. */
  announcement: { type: String, enum: ['forum', 'global'] },
  /** Soft-deleted by a moderator (restorable): gone from listings, not found but for moderators. */
  deleted: { type: Boolean, default: false },
  deletedBy: { type: Types.ObjectId },
  /** Set with `deleted` when a moderator merged this topic into another: the topic its posts went to. */
  mergedInto: { type: Types.ObjectId },
  /** The reply chosen as the answer (Discourse's "Solved"), if one was; absent when not. */
  solution: {
    type: new Schema({ postId: { type: Types.ObjectId, required: true }, number: { type: Number, required: true }, authorId: { type: Types.ObjectId, required: true }, authorName: { type: String, required: true } }, { _id: false }),
    default: undefined,
  },
  /** Its tags (lower case, at most five); absent when none. */
  tags: { type: [String], default: undefined },
  /** The topic's poll, if it has one (absent, never null, when not). */
  pollId: { type: Types.ObjectId },
  /** The topic's event sequence: every event about this topic takes the next value. */
  seq: { type: Number, default: 0, required: true },
  seqAt: { type: Date },
  /** The seq of the last `topic:updated` stored (absent before the first): changes are stored only over older ones. */
  changedSeq: { type: Number },
  /** Events with seq <= logFloor have been pruned from the event log. */
  logFloor: { type: Number, default: 0, required: true },
  lastPost: { type: postRefSchema, default: null },
  lastPostAt: { type: Date, default: () => new Date() },
});
topicSchema.index({ forumId: 1, lastPostAt: -1 });
// Announcements, global ones in every forum's listing.
topicSchema.index({ announcement: 1 });
// Topics with a tag (GET /tags/:tag, a forum listing's ?tag=): a multikey index on MongoDB.
topicSchema.index({ tags: 1 });

export type TopicRecord = InferSchemaType<typeof topicSchema>;
export const createTopicModel = (conn: Connection) => conn.model('Topic', topicSchema);
