import type { MemberActivity } from '../../../sdk/index.js';
import { h } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';

/** phpBB's "Most active forum" and "Most active topic" lines of a profile; null when the member has no posts one may see. */
export function memberActivityList(activity: MemberActivity | null): HTMLElement | null {
  if (!activity || (!activity.mostActiveForum && !activity.mostActiveTopic)) return null;
  const line = (label: string, place: MemberActivity['mostActiveForum'], href: (id: string) => string) =>
    place ? [h('dt', null, label), h('dd', null, h('a', { href: href(place.id) }, place.title), ` (${plural(place.posts, 'post')} / ${place.share}% of user’s posts)`)] : [];
  return h(
    'dl',
    { class: 'member-activity' },
    line('Most active forum:', activity.mostActiveForum, (id) => paths.forum(id)),
    line('Most active topic:', activity.mostActiveTopic, (id) => paths.topic(id)),
  );
}
