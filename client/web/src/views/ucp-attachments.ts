import type { Attachment, MyAttachments } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { formatBytes, formatDateTime } from '../format.js';
import { ATTACHMENT_TYPES } from '../attachment-types.js';
import { confirmButton } from './confirm-button.js';
import { showFailure } from './submit.js';

/**
 * The User Control Panel's "Attachments" (phpBB's "Manage attachments"): how much of the quota
 * the member's uploads take, and each upload, newest first, linked to its file, with Delete
 * (a second click confirms). Paged in place when there are more than a page of them.
 */
export function ucpAttachments(api: Api): { el: HTMLElement; dispose(): void } {
  let alive = true;
  const heading = h('h2', { id: 'ucp-attachments-heading', tabindex: '-1' }, 'Attachments');
  const usage = h('p', { class: 'attachment-usage' });
  const limits = h('p', { class: 'hint' });
  const table = h('table', { class: 'list attachments', hidden: true });
  const empty = h('p', { class: 'no-attachments', hidden: true }, 'You have not uploaded any files. Use Attach file under any message box.');
  const pager = h('nav', { class: 'pagination attachment-pages', 'aria-label': 'Attachment pages', hidden: true });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const status = h('p', { class: 'loading', role: 'status' }, 'Loading…');
  const el = h('section', { class: 'panel ucp-attachments', 'aria-labelledby': heading.id }, heading, status, usage, limits, table, empty, pager, error);

  let page = 1;
  /** Bumped by each load: an older answer is dropped. */
  let ticket = 0;
  const disarms: Array<() => void> = [];

  async function load(wanted: number, focusAfter?: number): Promise<void> {
    const mine = ++ticket;
    try {
      // A page past the end (its last file deleted) is answered with the last page.
      const data = await api.get<MyAttachments>(`/users/me/attachments?page=${wanted}`);
      if (!alive || mine !== ticket) return;
      status.hidden = true;
      render(data);
      if (focusAfter !== undefined) {
        const buttons = table.querySelectorAll<HTMLElement>('button.delete');
        (buttons[focusAfter] ?? buttons[focusAfter - 1] ?? heading).focus();
      }
    } catch (err) {
      if (!alive || mine !== ticket) return;
      status.hidden = true;
      showFailure(error, err, 'Your attachments could not be loaded');
    }
  }

  function remove(attachment: Attachment, at: number): void {
    error.hidden = true;
    api.request('DELETE', `/attachments/${encodeURIComponent(attachment.id)}`).then(
      () => void (alive && load(page, at)),
      (err: unknown) => void (alive && showFailure(error, err, 'The file was not deleted')),
    );
  }

  function row(attachment: Attachment, at: number): HTMLElement {
    const del = confirmButton({ label: 'Delete', armedLabel: 'Really delete?', className: 'button small delete', ariaLabel: `Delete ${attachment.name}`, onConfirm: () => remove(attachment, at) });
    disarms.push(del.disarm);
    return h(
      'tr',
      { 'data-attachment-id': attachment.id },
      h('th', { scope: 'row', class: 'attachment-name' }, h('a', { href: attachment.url, target: '_blank', rel: 'noopener' }, attachment.name)),
      h('td', { class: 'attachment-type', 'data-label': 'Type' }, ATTACHMENT_TYPES[attachment.type] ?? attachment.type),
      h('td', { class: 'attachment-size', 'data-label': 'Size', 'data-bytes': attachment.size }, formatBytes(attachment.size)),
      h('td', { class: 'attachment-date', 'data-label': 'Uploaded' }, h('time', { datetime: attachment.createdAt }, formatDateTime(attachment.createdAt))),
      h('td', { class: 'attachment-actions' }, del.el),
    );
  }

  function render(data: MyAttachments): void {
    page = data.page;
    for (const disarm of disarms.splice(0)) disarm();
    usage.textContent = `${formatBytes(data.usedBytes)} used of ${formatBytes(data.quotaBytes)}`;
    limits.textContent = `Each file up to ${formatBytes(data.maxBytes)}: PNG, JPEG, GIF, WebP or PDF. A post showing a deleted file shows nothing in its place.`;
    replaceChildren(
      table,
      h('thead', null, h('tr', null, ['File', 'Type', 'Size', 'Uploaded'].map((label) => h('th', { scope: 'col' }, label)), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', null, data.attachments.map(row)),
    );
    table.hidden = data.attachments.length === 0;
    empty.hidden = data.attachments.length > 0;
    renderPager(data);
  }

  function renderPager(data: MyAttachments): void {
    pager.hidden = data.pageCount <= 1;
    const go = (p: number) => h('button', { type: 'button', class: 'button small', onclick: () => void load(p) }, p < data.page ? 'Previous' : 'Next');
    replaceChildren(
      pager,
      data.page > 1 ? go(data.page - 1) : null,
      ' ',
      h('span', { class: 'page-of' }, `Page ${data.page} of ${data.pageCount}`),
      ' ',
      data.page < data.pageCount ? go(data.page + 1) : null,
    );
  }

  void load(page);
  return {
    el,
    dispose() {
      alive = false;
      for (const disarm of disarms.splice(0)) disarm();
    },
  };
}
