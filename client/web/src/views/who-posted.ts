import type { TopicPosters } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { paths } from '../router.js';
import { showFailure } from './submit.js';

/**
 * phpBB's "Who posted?" under a topic: opened, it asks the server who has visible posts in the
 * topic and how many, most first, each name linked to the member's profile. Asked afresh each
 * time it is opened (replies come and go live).
 */
export function whoPosted(api: Api, topicId: string): HTMLElement {
  const list = h('ol', { class: 'who-posted-list' });
  const note = h('p', { class: 'who-posted-note', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const el = h('details', { class: 'panel who-posted' }, h('summary', null, 'Who posted?'), list, note, error);
  el.addEventListener('toggle', () => {
    if (!el.open) return;
    error.hidden = true;
    api.get<TopicPosters>(`/topics/${encodeURIComponent(topicId)}/posters`).then(
      (answer) => {
        replaceChildren(list, answer.posters.map((p) => h('li', null, h('a', { href: paths.member(p.user.id), class: 'username' }, p.user.username), ` (${plural(p.posts, 'post')})`)));
        note.hidden = answer.total <= answer.posters.length;
        note.textContent = `and ${plural(answer.total - answer.posters.length, 'more member')}`;
      },
      (err) => showFailure(error, err, 'Could not load who posted'),
    );
  });
  return el;
}
