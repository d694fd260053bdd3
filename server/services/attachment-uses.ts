import type { Models } from '../models/index.js';
import { op } from '../db/connect.js';

/**
 * Whether anything shows an upload: a post's body (deleted posts too: they can be restored), an
 * earlier version of a post, a private message, or a member's avatar or signature. Each is a
 * query for the id as a plain word, which FerretDB's SQLite backend narrows before decoding;
 * on MongoDB each is a scan of its collection (the sweep asks about a few uploads an hour).
 */
export async function attachmentInUse(models: Models, id: string): Promise<boolean> {
  const inText = () => op({ $regex: id }); // 32 hex digits: nothing to escape
  const found = await Promise.all([
    models.Post.exists({ body: inText() }),
    models.PostRevision.exists({ body: inText() }),
    models.PrivateMessage.exists({ body: inText() }),
    models.User.exists({ $or: [{ avatarUrl: `/attachments/${id}` }, { signature: inText() }] }),
  ]);
  return found.some(Boolean);
}
