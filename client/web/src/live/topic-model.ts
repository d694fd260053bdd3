// What one topic page shows, and how each live event changes it. Pure (no DOM), so the
// rules are unit-tested: events apply once (a post already shown is not added again, an
// event whose seq is not newer than the post's `seq` is ignored) and counts are absolute.
import type { Post, PostDeletedEvent, Thanks, Topic, TopicEvent, UserCard } from '../../../sdk/index.js';

/** A post as the page holds it. `thankedByNames` comes with the thanks feature, when present. */
export type ShownPost = Post & { thankedByNames?: string[] };

/** Thanks as events carry them; `username` fields are read when the server sends them. */
type ThanksWire = Thanks & { giver: { username?: string }; receiver: { username?: string } };

/** Where a moved post went: `post:deleted`'s `movedTo`. */
export type MovedTo = NonNullable<PostDeletedEvent['movedTo']>;

export type Effect =
  | { kind: 'append'; post: ShownPost }
  | { kind: 'replace'; post: ShownPost }
  | { kind: 'remove'; postId: string }
  /** A moderator moved the post to another topic (split, move or merge); `number` is its number here, when this page held it. */
  | { kind: 'moved'; postId: string; number: number | null; to: MovedTo }
  | { kind: 'thanks'; post: ShownPost }
  | { kind: 'card'; card: UserCard }
  | { kind: 'counters'; userId: string; thanksGiven?: number; thanksReceived?: number }
  | { kind: 'new-posts'; count: number; page: number; firstPostId: string | null }
  | { kind: 'topic'; topic: Topic };

export class TopicModel {
  /** Posts on this page, in page order. */
  readonly posts = new Map<string, ShownPost>();
  /** Posts created live that belong to a later page than this one. */
  private readonly later: string[] = [];
  /** Every user name the page has seen, by id (to name who thanked). */
  readonly names = new Map<string, string>();
  topic: Topic;
  /** Posts in the topic (not deleted), kept current by events. */
  postCount: number;
  /** The seq of the topic change applied last (a REST answer may come after a newer event). */
  private topicSeq = 0;

  constructor(
    topic: Topic,
    posts: ShownPost[],
    readonly page: number,
    readonly perPage: number,
  ) {
    this.topic = topic;
    this.postCount = topic.postCount;
    for (const p of posts) this.remember(p);
  }

  get pageCount(): number {
    return Math.max(1, Math.ceil(this.postCount / this.perPage));
  }

  apply(event: TopicEvent): Effect[] {
    switch (event.type) {
      case 'post:created':
        return this.created(event.data.post);
      case 'post:updated':
        return this.updated(event.data.post, event.data.seq);
      case 'post:deleted':
        return this.deleted(event.data.postId, event.data.seq, event.data.movedTo);
      case 'thanks:changed':
        return this.thanked(event.data.thanks as ThanksWire, event.data.seq);
      case 'topic:updated':
        if (event.data.seq <= this.topicSeq) return [];
        this.topicSeq = event.data.seq;
        this.topic = event.data.topic;
        this.postCount = event.data.topic.postCount;
        return [{ kind: 'topic', topic: event.data.topic }];
      default:
        return [];
    }
  }

  /** A post we just made ourselves (from the command's ack); the live event for it is then a repeat. */
  addOwn(post: ShownPost): Effect[] {
    return this.created(post);
  }

  private created(post: ShownPost): Effect[] {
    if (this.posts.has(post.id) || this.later.includes(post.id)) return [];
    this.postCount += 1;
    const effects: Effect[] = [{ kind: 'card', card: post.author }];
    this.names.set(post.author.id, post.author.username);
    this.updateCards(post.author);
    if (this.page === this.pageCount && this.posts.size < this.perPage) {
      this.remember(post);
      effects.push({ kind: 'append', post });
    } else {
      this.later.push(post.id);
      effects.push(this.newPostsEffect());
    }
    return effects;
  }

  private updated(post: ShownPost, seq: number): Effect[] {
    const shown = this.posts.get(post.id);
    const effects: Effect[] = [{ kind: 'card', card: post.author }];
    this.updateCards(post.author);
    if (!shown || seq <= shown.seq) return effects;
    const next: ShownPost = {
      ...post,
      seq: Math.max(seq, post.seq),
      thankedBy: post.thankedBy ?? shown.thankedBy,
      thankedByNames: post.thankedByNames ?? shown.thankedByNames,
    };
    this.posts.set(post.id, next);
    effects.push({ kind: 'replace', post: next });
    return effects;
  }

  /** A post left the topic: deleted, or (with `movedTo`) moved to another one; either way it leaves the page. */
  private deleted(postId: string, seq: number, movedTo?: MovedTo): Effect[] {
    const shown = this.posts.get(postId);
    if (shown && seq <= shown.seq) return [];
    const laterAt = this.later.indexOf(postId);
    this.postCount = Math.max(0, this.postCount - 1);
    const moved: Effect[] = movedTo ? [{ kind: 'moved', postId, number: shown?.number ?? null, to: movedTo }] : [];
    if (shown) {
      this.posts.delete(postId);
      return [{ kind: 'remove', postId }, ...moved];
    }
    if (laterAt >= 0) {
      this.later.splice(laterAt, 1);
      return [this.newPostsEffect(), ...moved];
    }
    return moved;
  }

  private thanked(thanks: ThanksWire, seq: number): Effect[] {
    const { giver, receiver } = thanks;
    if (giver.username) this.names.set(giver.id, giver.username);
    if (receiver.username) this.names.set(receiver.id, receiver.username);
    this.updateCounters(giver.id, { thanksGiven: giver.thanksGiven });
    this.updateCounters(receiver.id, { thanksReceived: receiver.thanksReceived });
    const effects: Effect[] = [
      { kind: 'counters', userId: giver.id, thanksGiven: giver.thanksGiven },
      { kind: 'counters', userId: receiver.id, thanksReceived: receiver.thanksReceived },
    ];
    const shown = this.posts.get(thanks.postId);
    if (!shown || seq <= shown.seq) return effects;
    // Counts are absolute; whether the giver joined or left the list follows from the change.
    let thankedBy = shown.thankedBy ?? [];
    let names = shown.thankedByNames;
    if (thanks.thanksCount > shown.thanksCount && !thankedBy.includes(giver.id)) {
      thankedBy = [...thankedBy, giver.id];
      if (names) names = [...names, giver.username ?? this.names.get(giver.id) ?? ''];
    } else if (thanks.thanksCount < shown.thanksCount && thankedBy.includes(giver.id)) {
      const at = thankedBy.indexOf(giver.id);
      thankedBy = thankedBy.filter((id) => id !== giver.id);
      if (names) names = names.filter((_, i) => i !== at);
    }
    const next: ShownPost = { ...shown, seq, thanksCount: thanks.thanksCount, thankedBy, thankedByNames: names };
    this.posts.set(shown.id, next);
    effects.push({ kind: 'thanks', post: next });
    return effects;
  }

  private newPostsEffect(): Effect {
    return { kind: 'new-posts', count: this.later.length, page: this.pageCount, firstPostId: this.later[0] ?? null };
  }

  private remember(post: ShownPost): void {
    this.posts.set(post.id, post);
    this.names.set(post.author.id, post.author.username);
    post.thankedBy?.forEach((id, i) => {
      const name = post.thankedByNames?.[i];
      if (name) this.names.set(id, name);
    });
  }

  /** Keep every shown copy of a user's card current, so a re-render shows fresh counters. */
  private updateCards(card: UserCard): void {
    for (const [id, p] of this.posts) if (p.author.id === card.id) this.posts.set(id, { ...p, author: card });
  }

  private updateCounters(userId: string, counters: Partial<Pick<UserCard, 'thanksGiven' | 'thanksReceived'>>): void {
    for (const [id, p] of this.posts) if (p.author.id === userId) this.posts.set(id, { ...p, author: { ...p.author, ...counters } });
  }
}
