import type { TestServer } from './server.js';

/**
 * Reject (untold) every post still awaiting approval: for an afterEach, so that a test failing
 * midway leaves the next one an empty queue and the failure stays in the test that caused it.
 */
export async function rejectAllHeld(s: TestServer, moderatorToken: string): Promise<void> {
  for (let left: Array<{ id: string }>; (left = (await s.api('GET', '/queue', { token: moderatorToken })).body.posts ?? []).length; ) {
    for (const q of left) await s.api('POST', `/queue/${q.id}/reject`, { token: moderatorToken, body: { tell: false } });
  }
}
