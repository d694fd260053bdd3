import type { Models } from '../models/index.js';
import type { MembersPage, MembersQuery } from '../../shared/schemas.js';
import { LIMITS } from '../../shared/limits.js';
import { op } from '../db/connect.js';
import { escapeRegExp } from '../render/snippet.js';
import type { AuthUser } from './token.service.js';
import { CARD_PROJECTION, type CardService, type CardSource } from './card.service.js';
import { policy } from './policy.js';
import { pageCountOf } from './views.js';

/** Each sort's field and its natural direction (1: ascending); `order` reverses it. */
const SORTS: Record<MembersQuery['sort'], { field: string; natural: 1 | -1 }> = {
  name: { field: 'usernameLower', natural: 1 },
  posts: { field: 'postCount', natural: -1 },
  joined: { field: 'joinedAt', natural: 1 },
  thanks: { field: 'thanksReceived', natural: -1 },
};

/**
 * phpBB's member list and "The team": every member's card (rank, groups, posts, joined, thanks),
 * sorted and paged. Bot accounts are not members here (phpBB leaves its bots out too).
 */
export function createMemberList({ models, cardService }: { models: Models; cardService: Pick<CardService, 'toCard'> }) {
  return {
    /** GET /members. Anyone who may read the board (a token needs `read`). */
    async list(viewer: AuthUser | null, query: MembersQuery): Promise<MembersPage> {
      policy.requireScope(viewer, 'read');
      const filter: Record<string, unknown> = {
        role: query.filter === 'team' ? op({ $in: ['moderator', 'admin'] }) : op({ $ne: 'bot' }),
        ...(query.prefix && { usernameLower: op({ $regex: `^${escapeRegExp(query.prefix.toLowerCase())}` }) }),
      };
      const total = await models.User.countDocuments(filter);
      const pageCount = pageCountOf(total, LIMITS.membersPerPage);
      const page = Math.min(query.page, pageCount);
      const { field, natural } = SORTS[query.sort];
      const direction = query.order ? (query.order === 'asc' ? 1 : -1) : natural;
      const rows = await models.User.find(filter, CARD_PROJECTION)
        .sort({ [field]: direction, _id: direction })
        .skip((page - 1) * LIMITS.membersPerPage)
        .limit(LIMITS.membersPerPage)
        .lean();
      return { members: rows.map((u) => cardService.toCard(u as CardSource)), total, page, pageCount };
    },
  };
}
export type MemberList = ReturnType<typeof createMemberList>;
