import type { UserCard, WarningList } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { plural } from '../format.js';
import { confirmButton } from './confirm-button.js';
import { showFailure } from './submit.js';
import { sendWarning, warnedNote, warnForm } from './warn-form.js';
import { warningItems, warningReasonId } from './warning-items.js';

/**
 * phpBB's warnings on a member's profile, for moderators: how many of the member's warnings are
 * active, each warning (when, by whom, why, for which post, until when or expired) with Remove
 * (a second click confirms), and "Warn this member". After either, the panel is read again
 * from the server.
 */
export function memberWarnings(api: Api, user: Pick<UserCard, 'id' | 'username'>): { el: HTMLElement; dispose(): void } {
  let alive = true;
  /** Bumped by each load: an older answer is dropped. */
  let ticket = 0;
  const disarms: Array<() => void> = [];
  const heading = h('h2', { id: 'member-warnings-heading', tabindex: '-1' }, 'Warnings');
  const count = h('p', { class: 'warning-count', role: 'status' }, 'Loading…');
  const list = h('div', { class: 'warning-list' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const sent = h('div', { class: 'warn-outcome' });
  const form = warnForm({
    id: 'member-warn-reason',
    label: `Reason for warning ${user.username}`,
    ariaLabel: 'Warn this member',
    send: (reason) =>
      sendWarning(api, user.id, reason).then((result) => {
        form.reason.value = '';
        replaceChildren(sent, warnedNote(result, user.username));
        return load();
      }),
  });
  const el = h(
    'section',
    { class: 'panel member-warnings', 'aria-labelledby': heading.id },
    heading,
    count,
    list,
    error,
    h('h3', null, 'Warn this member'),
    sent,
    form.el,
  );

  async function load(): Promise<void> {
    const mine = ++ticket;
    try {
      const data = await api.get<WarningList>(`/users/${encodeURIComponent(user.id)}/warnings`);
      if (alive && mine === ticket) render(data);
    } catch (err) {
      if (alive && mine === ticket) showFailure(error, err, 'The warnings could not be loaded');
    }
  }

  function remove(warningId: string): void {
    error.hidden = true;
    replaceChildren(sent);
    api.request('DELETE', `/warnings/${encodeURIComponent(warningId)}`).then(
      () => void (alive && load().then(() => heading.focus())),
      (err: unknown) => void (alive && showFailure(error, err, 'The warning was not removed')),
    );
  }

  function render(data: WarningList): void {
    for (const disarm of disarms.splice(0)) disarm();
    error.hidden = true;
    count.textContent = plural(data.active, 'active warning');
    replaceChildren(
      list,
      data.warnings.length
        ? warningItems(data.warnings, {
            moderator: true,
            extra: (w) => {
              const button = confirmButton({ label: 'Remove', armedLabel: 'Really remove?', className: 'button small remove-warning', onConfirm: () => remove(w.id) });
              button.el.setAttribute('aria-describedby', warningReasonId(w));
              disarms.push(button.disarm);
              return button.el;
            },
          })
        : h('p', { class: 'no-warnings' }, `${user.username} has never been warned.`),
    );
  }

  void load();
  return {
    el,
    dispose() {
      alive = false;
      for (const disarm of disarms.splice(0)) disarm();
    },
  };
}
