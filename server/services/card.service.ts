import { op } from '../db/connect.js';
import type { Models } from '../models/index.js';
import type { Config } from '../config.js';
import type { UserCard, Role } from '../../shared/schemas.js';

export interface CardSource {
  _id: unknown;
  username: string;
  role: string;
  groups?: string[] | null;
  specialRank?: string | null;
  postCount: number;
  joinedAt: Date;
  location?: string | null;
  signature?: string | null;
  signatureHtml?: string | null;
  avatarUrl?: string | null;
  fields?: Array<{ key: string; value: string }> | null;
  thanksGiven: number;
  thanksReceived: number;
}

export const CARD_PROJECTION = {
  username: 1, role: 1, groups: 1, specialRank: 1, postCount: 1, joinedAt: 1, location: 1,
  signature: 1, signatureHtml: 1, avatarUrl: 1, fields: 1, thanksGiven: 1, thanksReceived: 1,
} as const;

/** phpBB-style rank: a special rank wins, else the highest ladder step the post count reaches. */
export function rankTitle(ladder: Config['rankLadder'], postCount: number, specialRank?: string | null): string {
  if (specialRank) return specialRank;
  let title = ladder[0]?.title ?? '';
  for (const step of ladder) if (postCount >= step.min) title = step.title;
  return title;
}

export function toCard(user: CardSource, ladder: Config['rankLadder']): UserCard {
  const card: UserCard = {
    id: String(user._id),
    username: user.username,
    role: user.role as Role,
    rank: user.role === 'bot' ? 'Bot' : rankTitle(ladder, user.postCount, user.specialRank),
    groups: user.groups ?? [],
    postCount: user.postCount,
    joinedAt: user.joinedAt.toISOString(),
    thanksGiven: user.thanksGiven,
    thanksReceived: user.thanksReceived,
    isBot: user.role === 'bot',
  };
  if (user.location) card.location = user.location;
  if (user.signature) card.signature = user.signature;
  if (user.signatureHtml) card.signatureHtml = user.signatureHtml;
  if (user.avatarUrl) card.avatarUrl = user.avatarUrl;
  if (user.fields?.length) card.fields = Object.fromEntries(user.fields.map((f) => [f.key, f.value]));
  return card;
}

export function createCardService({ models, config }: { models: Models; config: Config }) {
  async function cards(ids: string[]): Promise<Map<string, UserCard>> {
    const unique = [...new Set(ids)];
    const users = await models.User.find({ _id: op({ $in: unique }) }, CARD_PROJECTION).lean();
    return new Map(users.map((u) => [String(u._id), toCard(u as CardSource, config.rankLadder)]));
  }
  async function card(id: string): Promise<UserCard | null> {
    return (await cards([id])).get(id) ?? null;
  }
  return { cards, card, toCard: (u: CardSource) => toCard(u, config.rankLadder) };
}
export type CardService = ReturnType<typeof createCardService>;
