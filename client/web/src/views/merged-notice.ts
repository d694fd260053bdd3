import type { Topic } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { paths } from '../router.js';

/**
 * "This topic was merged into <topic>", in place of "deleted by a moderator", for a topic a
 * moderator merged (`deleted` with `mergedInto`), live or when a moderator opens it later. The
 * link is named by the target's title: as the moved posts named it, else looked up.
 */
export function mergedNotice(api: Api, knownTitle: (topicId: string) => string | undefined) {
  const el = h('p', { class: 'notice merged-notice', role: 'status', hidden: true });
  let into: string | null = null;

  return {
    el,
    show(topic: Topic): void {
      const next = topic.deleted && topic.mergedInto ? topic.mergedInto : null;
      el.hidden = next === null;
      if (next === null || next === into) return;
      into = next;
      const title = knownTitle(next);
      const link = h('a', { href: paths.topic(next) }, title ?? 'the topic it was merged into');
      replaceChildren(el, 'This topic was merged into ', link, '.');
      if (title) return;
      api
        .get<{ topic: Topic }>(`/topics/${encodeURIComponent(next)}`)
        .then(({ topic: target }) => {
          if (into === next) link.textContent = target.title;
        })
        .catch(() => undefined);
    },
  };
}
