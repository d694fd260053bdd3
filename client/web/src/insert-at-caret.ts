/**
 * Put text in a field at its caret, replacing what is selected, as typing it would: the caret
 * ends after it and `input` fires, so the draft (drafts.ts) and other listeners see the change.
 */
export function insertAtCaret(field: HTMLTextAreaElement | HTMLInputElement, text: string): void {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.setRangeText(text, start, end, 'end');
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
