import type { ErrorBody } from '../../shared/errors.js';
import { ForumError } from './forum-client.js';

/** Minimal typed REST access (fetch, browser and Node alike); errors become ForumError. */
export function createRest(baseUrl: string, token?: string) {
  let bearer = token;
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json().catch(() => null)) as { error?: ErrorBody } | null;
    if (!res.ok) throw new ForumError(json?.error ?? { code: 'INTERNAL', message: `HTTP ${res.status}` });
    return json as T;
  }
  return {
    request,
    get: <T>(path: string) => request<T>('GET', path),
    setToken: (t: string | undefined) => (bearer = t),
  };
}
export type Rest = ReturnType<typeof createRest>;
