import { Schema, Types, type Connection, type InferSchemaType, type HydratedDocument } from 'mongoose';

const profileField = new Schema({ key: { type: String, required: true }, value: { type: String, required: true } }, { _id: false });

export const userSchema = new Schema({
  username: { type: String, required: true },
  /** Lower-cased copy: case-insensitive uniqueness without collations (FerretDB v1 has none). */
  usernameLower: { type: String, required: true },
  passwordHash: { type: String, required: true },
  role: { type: String, enum: ['member', 'moderator', 'admin', 'bot'], default: 'member', required: true },
  groups: { type: [String], default: [] },
  specialRank: { type: String },
  postCount: { type: Number, default: 0, required: true },
  /** Bytes this member's attachments take (their quota's use; `recount` rebuilds it). */
  attachmentBytes: { type: Number, default: 0 },
  joinedAt: { type: Date, default: () => new Date(), required: true },
  location: { type: String },
  signature: { type: String },
  signatureHtml: { type: String },
  avatarUrl: { type: String },
  /** Custom profile fields as key/value pairs (keys are user-chosen, so never stored as object keys). */
  fields: { type: [profileField], default: [] },
  thanksGiven: { type: Number, default: 0, required: true },
  thanksReceived: { type: Number, default: 0, required: true },
  hidden: { type: Boolean, default: false },
  /** phpBB's "Last active": written in batches by services/last-active.ts. */
  lastActiveAt: { type: Date },
  /** Members this one ignores (their posts folded, their notifications and new conversations kept away). */
  ignoring: { type: [Types.ObjectId], default: [] },
  /** phpBB's friends: members this one wants to see at a glance in who is online. */
  friends: { type: [Types.ObjectId], default: [] },
  /** Bumped to revoke every token issued before (password change, ban). */
  tokenVersion: { type: Number, default: 0, required: true },
  /** Logins (tokens' `jti`) ended with POST /auth/logout; cleared with a tokenVersion bump when full. */
  loggedOut: { type: [String], default: [] },
  lastPostAt: { type: Date },
  bannedUntil: { type: Date },
  banReason: { type: String },
});
userSchema.index({ usernameLower: 1 }, { unique: true });
// The member list's other orders.
userSchema.index({ postCount: -1, _id: -1 });
userSchema.index({ joinedAt: 1, _id: 1 });

export type UserRecord = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<UserRecord>;
export const createUserModel = (conn: Connection) => conn.model('User', userSchema);
