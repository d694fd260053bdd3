import { LIMITS } from '../../shared/limits.js';

/**
 * An uploaded file's name as it will be shown and offered for download: no directories, no
 * control or bidirectional-override characters, at most LIMITS.attachmentNameMax characters,
 * ending in the extension its bytes call for (so `cat.png` that is really a JPEG is `cat.jpg`).
 */
export function cleanFileName(raw: string, ext: string): string {
  const base = (raw.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  const stem = base.replace(/\.[^.]*$/, '').replace(/^\.+/, '') || 'file';
  const suffix = `.${ext}`;
  return [...stem].slice(0, LIMITS.attachmentNameMax - suffix.length).join('') + suffix;
}

