import { ForumError, type Attachment } from '../../sdk/index.js';
import type { ErrorBody } from '../../../shared/errors.js';

export type Api = ReturnType<typeof createApi>;

/**
 * REST for the page (same origin). Like the SDK's `rest`, plus the browser's session id in
 * `x-session-id`, so who-is-online counts this guest once across its requests and its socket.
 */
export function createApi(token: string | undefined, sessionId: string) {
  /** JSON goes as JSON; a FormData body (an upload) sets its own multipart content type. */
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'x-session-id': sessionId };
    if (token) headers.authorization = `Bearer ${token}`;
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['content-type'] = 'application/json';
    const res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
    const json = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    if (!res.ok) throw new ForumError(json?.error ?? { code: 'INTERNAL', message: `HTTP ${res.status}` });
    return json as T;
  }

  /** Upload one file as an attachment (the server decides its type from its bytes). */
  function upload(file: Blob, name: string): Promise<{ attachment: Attachment }> {
    const form = new FormData();
    form.append('file', file, name);
    return request<{ attachment: Attachment }>('POST', '/attachments', form);
  }

  return { request, get: <T>(path: string) => request<T>('GET', path), upload };
}
