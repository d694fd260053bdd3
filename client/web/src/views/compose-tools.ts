import type { Api } from '../api.js';
import { h } from '../dom.js';
import { attachButton } from './attach-button.js';
import { previewButton } from './preview-button.js';

/**
 * What goes under every message textarea, the same in each form: Attach file and Preview in one
 * row, the preview's panel under them. Put `el` under the textarea.
 */
export function composeTools(textarea: HTMLTextAreaElement, api: Pick<Api, 'upload' | 'request'>): { el: HTMLElement; /** A form's Cancel: the preview closes with the text. */ closePreview(): void } {
  const preview = previewButton(textarea, api);
  return { el: h('div', { class: 'compose-tools' }, attachButton(textarea, api).el, preview.el), closePreview: preview.close };
}
