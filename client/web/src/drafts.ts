/**
 * Unsent text, kept per field in this tab's sessionStorage: a reload, a move to another page or
 * being signed out (an expired or revoked token) does not lose a half-written post. The field
 * gets its stored text back when it is drawn again; a successful send forgets it.
 */
export function keepDraft(field: HTMLTextAreaElement | HTMLInputElement, key: string): { save(): void; forget(): void } {
  const storageKey = `draft:${key}`;
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch {
      return fallback; // storage disabled or full: drafts are a comfort, not a must
    }
  };
  if (!field.value) field.value = attempt(() => sessionStorage.getItem(storageKey) ?? '', '');
  const save = () => attempt(() => (field.value.trim() ? sessionStorage.setItem(storageKey, field.value) : sessionStorage.removeItem(storageKey)), undefined);
  field.addEventListener('input', save);
  return { save, forget: () => attempt(() => sessionStorage.removeItem(storageKey), undefined) };
}
