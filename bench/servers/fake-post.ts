// Baselines store nothing, but they send the same shape and size of event as the forum does,
// so the bytes on the wire per delivery are comparable.
import { randomBytes } from 'node:crypto';

const objectId = () => randomBytes(12).toString('hex');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface PostCreate {
  topicId: string;
  body: string;
  subject?: string;
  clientId?: string;
}

/** A fake author card per poster (keyed by anything stable, e.g. a socket id). */
export function fakeCard(name: string) {
  return {
    id: objectId(),
    username: name,
    role: 'member',
    rank: 'New member',
    groups: [] as string[],
    postCount: 0,
    joinedAt: new Date().toISOString(),
    thanksGiven: 0,
    thanksReceived: 0,
    isBot: false,
  };
}

/** A `post:created` payload shaped like the forum's, built in memory. */
export function fakePostEvent(input: PostCreate, forumId: string, seq: number, author: ReturnType<typeof fakeCard>) {
  const post = {
    id: objectId(),
    topicId: input.topicId,
    forumId,
    subject: input.subject ?? 'Re: Bench topic',
    body: input.body,
    bodyHtml: `<p>${escapeHtml(input.body)}</p>`,
    author: { ...author, postCount: author.postCount++ },
    createdAt: new Date().toISOString(),
    thanksCount: 0,
    number: seq,
    seq,
  };
  return { topicId: input.topicId, forumId, seq, forumSeq: seq, post };
}

export function isPostCreate(p: unknown): p is PostCreate {
  const o = p as PostCreate;
  return !!o && typeof o.topicId === 'string' && typeof o.body === 'string' && o.body.length > 0 && o.body.length <= 60_000;
}

export const newObjectId = objectId;
