import type { ForumClient, PostReport, ReportsPage, ReportStatus } from '../../../sdk/index.js';
import type { Api } from '../api.js';
import { LiveCount, type CountChange } from './live-count.js';

/** What changed: a report made (or made again with a new reason), one closed, or only the open count (a fetch). */
export type ReportChange = { type: 'new'; report: PostReport } | { type: 'closed'; report: PostReport } | CountChange;

/**
 * The board's open reports, counted, for moderators and admins (GET /reports, page 1), kept by
 * `report:new` and `report:closed`, which the server pushes to every moderator's sockets. For
 * anyone else it stays null. The reports page listens to it for the reports themselves.
 */
export class ReportStore extends LiveCount<ReportChange> {
  constructor(
    client: ForumClient,
    private readonly api: Api,
    moderator: boolean,
  ) {
    super(client, moderator);
    this.follow({
      'report:new': (e) => ({ count: e.openCount, change: { type: 'new', report: e.report } }),
      'report:closed': (e) => ({ count: e.openCount, change: { type: 'closed', report: e.report } }),
    });
  }

  protected fetchCount(): Promise<unknown> {
    return this.page('open', 1);
  }

  /** Fetch a page of open or closed reports; its open count updates the store (unless a push came meanwhile). */
  page(status: ReportStatus, page: number): Promise<ReportsPage> {
    return this.fromRest(() => this.api.get<ReportsPage>(`/reports?status=${status}&page=${page}`), (a) => a.openCount);
  }

  /** Close a report, with an optional note for the log. Every moderator's tab then hears `report:closed`. */
  async closeReport(reportId: string, note?: string): Promise<PostReport> {
    const { report } = await this.api.request<{ report: PostReport }>('POST', `/reports/${encodeURIComponent(reportId)}/close`, note ? { note } : {});
    // Also tell this tab's listeners now, should the push be slow or the socket away.
    this.notify({ type: 'closed', report });
    return report;
  }
}
