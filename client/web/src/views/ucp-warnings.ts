import type { WarningList } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { showFailure } from './submit.js';
import { warningItems } from './warning-items.js';

/**
 * The User Control Panel's "Your warnings" (phpBB's): how many of the member's warnings still
 * count, and each (when, why, for which post, until when or expired); or that there are none.
 */
export function ucpWarnings(api: Api, userId: string): { el: HTMLElement; dispose(): void } {
  let alive = true;
  const heading = h('h2', { id: 'ucp-warnings-heading' }, 'Your warnings');
  const summary = h('p', { class: 'warning-count' }, 'Loading…');
  const list = h('div', { class: 'warning-list' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const el = h('section', { class: 'panel ucp-warnings', 'aria-labelledby': heading.id }, heading, summary, list, error);

  api.get<WarningList>(`/users/${encodeURIComponent(userId)}/warnings`).then(
    (data) => {
      if (!alive) return;
      summary.textContent = !data.warnings.length ? 'You have no warnings.' : data.active ? `You have ${plural(data.active, 'active warning')}.` : 'You have no active warnings.';
      replaceChildren(list, data.warnings.length ? warningItems(data.warnings, { moderator: false }) : null);
    },
    (err: unknown) => {
      if (!alive) return;
      summary.hidden = true;
      showFailure(error, err, 'Your warnings could not be loaded');
    },
  );

  return {
    el,
    dispose() {
      alive = false;
    },
  };
}
