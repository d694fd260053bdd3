import type { AttachmentType } from '../../sdk/index.js';

/**
 * What may be attached (shared/schemas.ts `attachmentType`; the server decides from the bytes),
 * each with the word the User Control Panel shows for it. A Record, so a type added to the
 * contract fails to compile here until it is named.
 */
export const ATTACHMENT_TYPES: Readonly<Record<AttachmentType, string>> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF document',
};

/** The file picker's `accept`: the types above. */
export const ATTACHMENT_ACCEPT = Object.keys(ATTACHMENT_TYPES).join(',');
