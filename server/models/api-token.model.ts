import { Schema, Types, type Connection, type InferSchemaType } from 'mongoose';

/**
 * A bot's API token. Only a SHA-256 of its secret is stored: the secret is shown once, when
 * the token is issued. Revoking sets `revokedAt`; the document stays for the admin's list.
 */
export const apiTokenSchema = new Schema({
  userId: { type: Types.ObjectId, required: true },
  name: { type: String, required: true },
  scopes: { type: [String], required: true },
  /** Forum ids (lower-case hex) the token is limited to; empty: every forum. */
  forums: { type: [String], default: [] },
  /** Hex SHA-256 of the secret part of the token. */
  secretHash: { type: String, required: true },
  createdAt: { type: Date, default: () => new Date(), required: true },
  revokedAt: { type: Date },
});
apiTokenSchema.index({ userId: 1 });

export type ApiTokenRecord = InferSchemaType<typeof apiTokenSchema>;
export const createApiTokenModel = (conn: Connection) => conn.model('ApiToken', apiTokenSchema);
