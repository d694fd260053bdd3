import type { MemberActivity, UserCard } from '../../../sdk/index.js';
import type { Page, WebContext } from '../context.js';
import { h, replaceChildren, trustedHtml } from '../dom.js';
import { paths } from '../router.js';
import { errorPanel, loading } from './common.js';
import { profileCard } from './profile-card.js';
import { ignoreButton } from './ignore-button.js';
import { friendButton } from './friend-button.js';
import { memberActivityList } from './member-activity.js';
import { memberWarnings } from './member-warnings.js';
import { lastActiveLine } from './last-active-line.js';

/**
 * "Viewing profile": a member's card at full size (rank, groups, counts, custom fields), where
 * they post most (phpBB's "Most active forum/topic") and their signature. The member's own page links to their settings; another member's, for the
 * signed in, offers to add them as a friend and to ignore them (never staff, who cannot be ignored).
 */
export function memberPage(ctx: WebContext, main: HTMLElement, userId: string): Page {
  let alive = true;
  let stopIgnore = () => {};
  let stopFriend = () => {};
  let stopWarnings = () => {};
  ctx.setPlace('Member profile', [{ label: 'Board index', href: paths.board() }, { label: 'Member profile' }]);
  replaceChildren(main, loading());

  function render(user: UserCard, activity: MemberActivity | null, lastActiveAt: string | null | undefined): void {
    ctx.setPlace(`Viewing profile - ${user.username}`, [{ label: 'Board index', href: paths.board() }, { label: user.username }]);
    const signature = h('div', { class: 'signature' });
    if (user.signatureHtml) trustedHtml(signature, user.signatureHtml);
    const own = ctx.session?.user.id === user.id;
    const ignorable = !!ctx.session && !own && user.role !== 'moderator' && user.role !== 'admin';
    const ignore = ignorable ? ignoreButton(ctx.ignoreList, user) : null;
    if (ignore) stopIgnore = ignore.dispose;
    const friend = ctx.session && !own ? friendButton(ctx.friendList, user) : null;
    if (friend) stopFriend = friend.dispose;
    // Only members are warned: staff and bots are not.
    const viewerRole = ctx.session?.user.role;
    const warnings = (viewerRole === 'moderator' || viewerRole === 'admin') && user.role === 'member' ? memberWarnings(ctx.api, user) : null;
    if (warnings) stopWarnings = warnings.dispose;
    replaceChildren(
      main,
      h('h1', { class: 'page-title' }, `Viewing profile - ${user.username}`),
      h(
        'section',
        { class: 'panel member-profile', 'aria-labelledby': 'member-heading' },
        h('h2', { id: 'member-heading', class: 'visually-hidden' }, `About ${user.username}`),
        profileCard(user),
        lastActiveLine(lastActiveAt),
        memberActivityList(activity),
        user.signatureHtml ? h('section', { class: 'member-signature', 'aria-label': 'Signature' }, h('h3', null, 'Signature'), signature) : null,
      ),
      h(
        'p',
        { class: 'member-links' },
        h('a', { href: paths.search({ authorId: user.id }), class: 'button' }, own ? 'Search your posts' : 'Search user’s posts'),
        own ? [' ', h('a', { href: paths.ucp(), class: 'button' }, 'Edit your profile')] : null,
        ctx.session && !own ? [' ', h('a', { href: paths.messageTo(user.username), class: 'button send-message' }, 'Send private message')] : null,
        friend ? [' ', friend.button] : null,
        ignore ? [' ', ignore.button] : null,
      ),
      friend?.notes ?? null,
      ignore?.notes ?? null,
      warnings?.el ?? null,
    );
  }

  void (async () => {
    try {
      const [{ user, lastActiveAt }, activity] = await Promise.all([
        ctx.api.get<{ user: UserCard; lastActiveAt?: string | null }>(`/users/${encodeURIComponent(userId)}`),
        // Most active forum and topic: the profile shows without them should that fail.
        ctx.api.get<MemberActivity>(`/users/${encodeURIComponent(userId)}/activity`).catch(() => null),
        ctx.ignoreList.ready,
        ctx.friendList.ready,
      ]);
      if (alive) render(user, activity, lastActiveAt);
    } catch (err) {
      if (alive) replaceChildren(main, errorPanel(err));
    }
  })();

  return {
    dispose() {
      alive = false;
      stopIgnore();
      stopFriend();
      stopWarnings();
    },
  };
}
