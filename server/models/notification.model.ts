import { notificationKind } from '../../shared/schemas.js';
import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One notification for one member (see services/notification.service.ts): a reply in their
 * topic, a mention, a quote, or a thanks. `_id` is derived from the member and what it is about
 * (notificationIdFor), so each is made once and an upsert by `_id` says whether it is new:
 * one per post and member for a mention, a quote or a new topic, one per post and giver for a
 * thanks, and for replies one per topic and member after their latest (so one unread per topic,
 * however many nodes tell of replies at once). Names and the title are
 * copied in, as the moderation log does, so a listing reads one collection.
 */
export const notificationSchema = new Schema({
  _id: { type: Types.ObjectId, required: true },
  userId: { type: Types.ObjectId, required: true },
  kind: { type: String, enum: notificationKind.options, required: true },
  actorId: { type: Types.ObjectId, required: true },
  actorName: { type: String, required: true },
  topicId: { type: Types.ObjectId, required: true },
  forumId: { type: Types.ObjectId, required: true },
  topicTitle: { type: String, required: true },
  postId: { type: Types.ObjectId, required: true },
  postNumber: { type: Number, required: true },
  read: { type: Boolean, required: true, default: false },
  createdAt: { type: Date, required: true, default: () => new Date() },
});
// A member's listing, newest first, and the unread count.
notificationSchema.index({ userId: 1, createdAt: -1 });
notificationSchema.index({ userId: 1, read: 1 });

export type NotificationRecord = InferSchemaType<typeof notificationSchema>;
export const createNotificationModel = (conn: Connection) => conn.model('Notification', notificationSchema);
