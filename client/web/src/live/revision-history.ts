// A post's versions as one page has seen them. Pure (no DOM), so the merging is unit-tested.
import type { PostRevisions } from '../../../sdk/index.js';

export type Revision = PostRevisions['revisions'][number];

/**
 * Every version of a post the page was told of, by number. A version never changes once
 * written, so answers merge. The server keeps the version an edit replaced before announcing
 * the edit, but keeping it may fail (it is logged, not the editor's error): a page then still
 * shows the version it had a moment ago as the current one, and says which are missing.
 */
export class RevisionHistory {
  private readonly byVersion = new Map<number, Revision>();

  add(revisions: Revision[]): void {
    for (const r of revisions) this.byVersion.set(r.version, r);
  }

  /** Oldest first. */
  get versions(): Revision[] {
    return [...this.byVersion.values()].sort((a, b) => a.version - b.version);
  }

  /**
   * Versions between the oldest known one and `current` (or the newest known, if later) that
   * the page has not seen: not kept yet, or lost. Those before the oldest known one were never
   * kept (the post was edited before history was), and are not counted.
   */
  missing(current: number): number[] {
    const known = this.versions;
    if (known.length === 0) return [];
    const last = Math.max(current, known[known.length - 1].version);
    const gaps: number[] = [];
    for (let v = known[0].version; v <= last; v++) if (!this.byVersion.has(v)) gaps.push(v);
    return gaps;
  }
}
