import type { Topic, TopicEvent } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { paths } from '../router.js';
import type { SolutionActions } from '../views/solution-marks.js';
import type { TopicModel } from './topic-model.js';

/**
 * The topic page's side of a topic's solution: who may choose it (the server's rule: the topic's
 * author while it is not locked, a moderator always; no one in a deleted topic), the requests,
 * and where the "Solved" box links. The answer is applied as the `topic:updated` it also pushes
 * (the model keeps whichever is newer), so the page changes at once and every reader's with it.
 */
export function solutionChoice(opts: {
  api: Api;
  topicId: string;
  me: string | null;
  moderator: boolean;
  model: () => TopicModel | undefined;
  /** Apply a topic change to the page. */
  apply(event: TopicEvent): void;
}): SolutionActions {
  const path = `/topics/${encodeURIComponent(opts.topicId)}/solution`;
  const applyAnswer = ({ topic, seq }: { topic: Topic; seq: number }) =>
    opts.apply({ type: 'topic:updated', data: { topicId: topic.id, forumId: topic.forumId, seq, forumSeq: 0, topic } });
  return {
    current: () => opts.model()?.topic.solution,
    mayChoose() {
      const topic = opts.model()?.topic;
      if (!topic || opts.me === null || topic.deleted) return false;
      return opts.moderator || (topic.authorId === opts.me && !topic.locked);
    },
    href(solution) {
      const model = opts.model();
      // On this page: an in-page anchor; elsewhere, the server finds the post's page.
      return model?.posts.has(solution.postId) ? paths.topic(opts.topicId, model.page, solution.postId) : paths.post(opts.topicId, solution.postId);
    },
    mark: async (post) => applyAnswer(await opts.api.request<{ topic: Topic; seq: number }>('POST', path, { postId: post.id })),
    unmark: async () => applyAnswer(await opts.api.request<{ topic: Topic; seq: number }>('DELETE', path)),
  };
}
