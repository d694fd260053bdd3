import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { postRefSchema } from './post-ref.schema.js';

export const forumSchema = new Schema({
  title: { type: String, required: true },
  description: { type: String, default: '' },
  order: { type: Number, default: 0 },
  /** The category it is listed under on the board index (absent: none). */
  category: { type: String },
  /** phpBB's subforums: the forum this one sits in (absent: a forum of the board index). */
  parentId: { type: Schema.Types.ObjectId },
  /** phpBB's per-forum approval: every member's new post here waits for a moderator (absent, never false, when not). */
  approvePosts: { type: Boolean },
  topicCount: { type: Number, default: 0, required: true },
  postCount: { type: Number, default: 0, required: true },
  lastPost: { type: postRefSchema, default: null },
  /** Forum-wide event cursor: every topic event in this forum takes the next value. */
  seq: { type: Number, default: 0, required: true },
  seqAt: { type: Date },
  /** Forum cursors at or below this may have lost events to pruning: resync. */
  logFloor: { type: Number, default: 0, required: true },
  createdAt: { type: Date, default: () => new Date() },
  /**
   * Who may read, start topics and reply (roles or `group:<name>`). Absent, or a list absent:
   * the public default (see services/access.service.ts). `default: undefined` keeps "absent"
   * apart from "empty" (an empty read list: staff only).
   */
  permissions: {
    type: new Schema(
      {
        read: { type: [String], default: undefined },
        post: { type: [String], default: undefined },
        reply: { type: [String], default: undefined },
      },
      { _id: false },
    ),
    default: undefined,
  },
});
forumSchema.index({ order: 1, createdAt: 1 });

export type ForumRecord = InferSchemaType<typeof forumSchema>;
export const createForumModel = (conn: Connection) => conn.model('Forum', forumSchema);
