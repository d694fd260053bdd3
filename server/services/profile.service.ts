import type { Models } from '../models/index.js';
import type { EditProfileBody, UserCard, UserSuggestions } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import { op } from '../db/connect.js';
import { escapeRegExp } from '../render/snippet.js';
import type { AuthUser } from './token.service.js';
import type { CardService, CardSource } from './card.service.js';
import { policy } from './policy.js';
import { renderSignature } from '../render/body-renderer.js';
import { AppError, notFound } from '../errors.js';
import { attachmentPath } from '../../shared/schemas.js';
import { noAccessChanges, type AccessChanges } from './access.service.js';

/** What a member sees of their own profile: the card everyone sees, and their own settings. */
export interface OwnProfile {
  user: UserCard;
  /** Counted but not named in who-is-online. */
  hidden: boolean;
  /** The members they ignore, by name. */
  ignoring: Array<{ id: string; username: string }>;
  /** Their friends, by name. */
  friends: Array<{ id: string; username: string }>;
}

type Update = { $set?: Record<string, unknown>; $unset?: Record<string, 1> };

/** Profile cards: members edit their own; admins hand out special ranks and groups. */
export function createProfileService({ models, cardService, accessChanges = noAccessChanges, named = async () => [] }: {
  models: Models;
  cardService: CardService;
  accessChanges?: AccessChanges;
  /** Members by name (the ignore service): who a member ignores. */
  named?: (ids: unknown[]) => Promise<Array<{ id: string; username: string }>>;
}) {
  const { User } = models;

  /** The update (none: a read), and the user's record after it. */
  async function store(userId: string, update: Update) {
    const doc = update.$set || update.$unset
      ? await User.findOneAndUpdate({ _id: userId }, update, { new: true }).lean()
      : await User.findById(userId).lean();
    if (!doc) throw notFound('User');
    return doc;
  }

  /** An admin's change to someone's card, answered with the card. */
  async function apply(userId: string, update: Update): Promise<UserCard> {
    return cardService.toCard((await store(userId, update)) as CardSource);
  }

  /** The update, answered as the member's own view of it: their card and their own settings. */
  async function applyToOwn(userId: string, update: Update): Promise<OwnProfile> {
    const doc = await store(userId, update);
    const lists = doc as { ignoring?: unknown[]; friends?: unknown[] };
    const [ignoring, friends] = await Promise.all([named(lists.ignoring ?? []), named(lists.friends ?? [])]);
    return { user: cardService.toCard(doc as CardSource), hidden: !!(doc as { hidden?: boolean }).hidden, ignoring, friends };
  }

  function build(set: Record<string, unknown>, unset: Record<string, 1>): Update {
    const update: Update = {};
    if (Object.keys(set).length) update.$set = set;
    if (Object.keys(unset).length) update.$unset = unset;
    return update;
  }

  /** An avatar on this board's attachments must be an image the member uploaded. */
  async function requireOwnImage(userId: string, url: string): Promise<void> {
    if (!attachmentPath.safeParse(url).success) return; // an http(s) URL elsewhere
    const id = url.slice('/attachments/'.length);
    const file = await models.Attachment.findById(id, { ownerId: 1, type: 1 }).lean();
    if (!file || String(file.ownerId) !== userId || !file.type.startsWith('image/')) {
      throw new AppError('BAD_REQUEST', 'avatarUrl: choose one of the images you uploaded');
    }
  }

  /** Omitted keys stay; null or blank clears; `fields` replaces the whole set (blank values dropped). */
  async function update(user: AuthUser | null, input: EditProfileBody): Promise<OwnProfile> {
    const me = policy.requireMember(user);
    const set: Record<string, unknown> = {};
    const unset: Record<string, 1> = {};
    const text = (key: 'location' | 'avatarUrl', value: string | null | undefined) => {
      if (value === undefined) return;
      if (value === null || value === '') unset[key] = 1;
      else set[key] = value;
    };
    text('location', input.location);
    if (input.avatarUrl) await requireOwnImage(me.id, input.avatarUrl);
    text('avatarUrl', input.avatarUrl);
    if (input.signature !== undefined) {
      if (input.signature === null || input.signature.trim() === '') {
        unset.signature = 1;
        unset.signatureHtml = 1;
      } else {
        set.signature = input.signature;
        set.signatureHtml = renderSignature(input.signature);
      }
    }
    if (input.fields === null) unset.fields = 1;
    if (input.fields) {
      // Stored as a list of pairs: user-chosen names never become object keys in the database.
      set.fields = Object.entries(input.fields)
        .filter(([, value]) => value !== '')
        .map(([key, value]) => ({ key, value }));
    }
    if (input.hidden !== undefined) set.hidden = input.hidden;
    const own = await applyToOwn(me.id, build(set, unset));
    if (input.hidden !== undefined) await accessChanges.userHiddenChanged(me.id, input.hidden);
    return own;
  }

  /** A special rank replaces the post-count rank on the card; null returns to the ladder. */
  async function setSpecialRank(actor: AuthUser | null, userId: string, specialRank: string | null): Promise<UserCard> {
    policy.requireAdmin(actor);
    return apply(userId, specialRank === null ? { $unset: { specialRank: 1 } } : { $set: { specialRank } });
  }

  async function setGroups(actor: AuthUser | null, userId: string, groups: string[]): Promise<UserCard> {
    policy.requireAdmin(actor);
    const card = await apply(userId, { $set: { groups: [...new Set(groups)] } });
    // Forums readable through a group just removed: the user's open sockets leave their rooms now.
    await accessChanges.userChanged(userId);
    return card;
  }

  /** The signed-in member's own card, and the settings only they see. */
  async function mine(user: AuthUser | null): Promise<OwnProfile> {
    return applyToOwn(policy.requireMember(user).id, {});
  }

  /** GET /users?prefix=: signed-in members' suggestions (for @mentions and message recipients), names in order. */
  async function suggest(user: AuthUser | null, prefix: string): Promise<UserSuggestions> {
    policy.requireMember(user);
    const rows = await models.User.find({ usernameLower: op({ $regex: `^${escapeRegExp(prefix.toLowerCase())}` }) }, { username: 1, usernameLower: 1 })
      .sort({ usernameLower: 1 })
      .limit(LIMITS.userSuggestionsMax)
      .lean();
    return { users: rows.map((u) => ({ id: String(u._id), username: u.username })) };
  }

  return { update, setSpecialRank, setGroups, mine, suggest };
}
export type ProfileService = ReturnType<typeof createProfileService>;
