import { ForumError } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { h } from '../dom.js';
import { ATTACHMENT_TYPES } from '../attachment-types.js';

/** The image types an avatar may be (the uploadable ones that are images). */
const IMAGE_ACCEPT = Object.keys(ATTACHMENT_TYPES).filter((t) => t.startsWith('image/')).join(',');

/**
 * "Upload an image" beside the avatar URL field: the image is uploaded as an attachment and
 * the field takes its URL (Save keeps it), with a preview. The server's refusal shows beside it.
 */
export function avatarUpload(field: HTMLInputElement, api: Pick<Api, 'upload'>): HTMLElement {
  const picker = h('input', { type: 'file', accept: IMAGE_ACCEPT, hidden: true, tabindex: -1 });
  const button = h('button', { type: 'button', class: 'button small avatar-upload', onclick: () => picker.click() }, 'Upload an image');
  const status = h('span', { class: 'attach-status', role: 'status' });
  const preview = h('img', { class: 'avatar-preview', alt: 'Your avatar', hidden: !field.value, src: field.value || undefined });
  const showPreview = () => {
    preview.hidden = !field.value.trim();
    if (!preview.hidden) preview.src = field.value.trim();
  };
  field.addEventListener('change', showPreview);
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    picker.value = '';
    if (!file) return;
    status.textContent = 'Uploading…';
    api
      .upload(file, file.name || 'avatar')
      .then(({ attachment }) => {
        field.value = attachment.url;
        showPreview();
        status.textContent = 'Uploaded: save your profile to use it.';
      })
      .catch((err: unknown) => {
        status.textContent = err instanceof ForumError ? err.message : 'The image could not be uploaded.';
      });
  });
  return h('div', { class: 'attach avatar-upload-row' }, preview, button, picker, ' ', status);
}
