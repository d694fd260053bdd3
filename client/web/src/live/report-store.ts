import type { ForumClient, PostReport, ReportEvent, ReportsPage, ReportStatus } from '../../../sdk/index.js';
import type { Api } from '../api.js';

/** What changed: a report made (or made again with a new reason), one closed, or only the open count (a fetch). */
export type ReportChange = { type: 'new'; report: PostReport } | { type: 'closed'; report: PostReport } | { type: 'count' };

/**
 * The board's open reports, counted, for moderators and admins: fetched over REST (GET /reports,
 * page 1), then kept current by `report:new` and `report:closed`, which the server pushes to
 * every moderator's sockets (each tab, each moderator). For anyone else it stays null and
 * fetches nothing. The reports page listens to it for the reports themselves.
 */
export class ReportStore {
  /** Open reports on the whole board; null until known (and always for members and guests). */
  openCount: number | null = null;
  private readonly listeners = new Set<(change: ReportChange) => void>();
  private readonly stop: Array<() => void> = [];
  /** Bumped by every pushed event: a REST answer sent before one is older than it, and dropped. */
  private version = 0;

  constructor(
    client: ForumClient,
    private readonly api: Api,
    readonly moderator: boolean,
  ) {
    if (!moderator) return;
    const onNew = (e: ReportEvent) => {
      this.version++;
      this.openCount = e.openCount;
      this.notify({ type: 'new', report: e.report });
    };
    const onClosed = (e: ReportEvent) => {
      this.version++;
      this.openCount = e.openCount;
      this.notify({ type: 'closed', report: e.report });
    };
    client.socket.on('report:new', onNew);
    client.socket.on('report:closed', onClosed);
    this.stop.push(() => client.socket.off('report:new', onNew), () => client.socket.off('report:closed', onClosed));
    // Pushes made while the socket was away are lost: count again on every (re)connect.
    this.stop.push(client.onState((state) => state === 'connected' && void this.refresh()));
    void this.refresh();
  }

  /** Listen to changes; returns a function that stops listening. */
  subscribe(listener: (change: ReportChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetch a page of open or closed reports; its open count updates the store (unless a push came meanwhile). */
  page(status: ReportStatus, page: number): Promise<ReportsPage> {
    return this.fromRest(() => this.api.get<ReportsPage>(`/reports?status=${status}&page=${page}`));
  }

  /** Close a report, with an optional note for the log. Every moderator's tab then hears `report:closed`. */
  async closeReport(reportId: string, note?: string): Promise<PostReport> {
    const { report } = await this.api.request<{ report: PostReport }>('POST', `/reports/${encodeURIComponent(reportId)}/close`, note ? { note } : {});
    // Also tell this tab's listeners now, should the push be slow or the socket away.
    this.notify({ type: 'closed', report });
    return report;
  }

  async refresh(): Promise<void> {
    if (!this.moderator) return;
    try {
      await this.page('open', 1);
    } catch {
      /* the count stays as it was; the next (re)connect tries again */
    }
  }

  close(): void {
    for (const s of this.stop) s();
    this.listeners.clear();
  }

  /** A REST call answering the open count: taken unless a push arrived while it was out. */
  private async fromRest<T extends { openCount: number }>(call: () => Promise<T>): Promise<T> {
    const before = this.version;
    const answer = await call();
    if (this.version === before && answer.openCount !== this.openCount) {
      this.openCount = answer.openCount;
      this.notify({ type: 'count' });
    }
    return answer;
  }

  private notify(change: ReportChange): void {
    for (const l of this.listeners) l(change);
  }
}
