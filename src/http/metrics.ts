import type { JobSubmitter } from '../jobs/submit.js';
import type { Worker } from '../jobs/worker.js';
import { sharedEventStats } from './shared-event-results.js';
import type { RealtimeHub } from '../realtime/hub.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';

/** The answering process, as `/metrics` names it. */
export interface ProcessIdentity {
  role: string;
  /** node:cluster's id of this API process (counts up as the supervisor replaces processes); absent without a supervisor. */
  apiProcess: number | undefined;
}

/** `GET /metrics` in the Prometheus text format. */
export function metricsText(
  hub: RealtimeHub,
  worker: Worker | undefined,
  webhooks: WebhookDispatcher | undefined,
  graphqlHttp: { direct: number; adapter: number; prepared: number },
  submitter: JobSubmitter,
  identity: ProcessIdentity,
): string {
  const lines = [
    // Which process answered: with API_PROCESSES > 1 each scrape reaches one API process, and every figure below is that process's.
    '# TYPE pictor_process_info gauge',
    `pictor_process_info{pid="${process.pid}",role="${identity.role}"${identity.apiProcess === undefined ? '' : `,api_process="${identity.apiProcess}"`}} 1`,
    '# TYPE pictor_realtime_subscribers gauge',
    `pictor_realtime_subscribers ${hub.subscriberCount}`,
    '# TYPE pictor_realtime_poller_queries_total counter',
    `pictor_realtime_poller_queries_total ${hub.poller.queries}`,
    // Of those, the queries that hydrate events someone here listens to (none without subscribers).
    '# TYPE pictor_realtime_poller_hydrations_total counter',
    `pictor_realtime_poller_hydrations_total ${hub.poller.hydrations}`,
    '# TYPE pictor_realtime_events_total counter',
    `pictor_realtime_events_total ${hub.poller.eventsRead}`,
    // Subscription results written to their socket straight from the fan-out (the fast path).
    '# TYPE pictor_realtime_pushed_results_total counter',
    `pictor_realtime_pushed_results_total ${sharedEventStats.pushed}`,
    '# TYPE pictor_worker_running_jobs gauge',
    `pictor_worker_running_jobs ${worker?.activeJobIds.length ?? 0}`,
    // Of those, the jobs whose completion is being written: they no longer hold a slot.
    '# TYPE pictor_worker_finishing_jobs gauge',
    `pictor_worker_finishing_jobs ${worker?.finishingCount ?? 0}`,
    '# TYPE pictor_worker_claim_passes_total counter',
    `pictor_worker_claim_passes_total ${worker?.stats.claimPasses ?? 0}`,
    // Successful jobs written by this process's worker, and the statements that wrote them (group commit).
    '# TYPE pictor_job_completions_written_total counter',
    `pictor_job_completions_written_total ${worker?.finisher.stats.jobs ?? 0}`,
    '# TYPE pictor_job_completion_statements_total counter',
    `pictor_job_completion_statements_total ${worker?.finisher.stats.statements ?? 0}`,
    // direct: POST /graphql answered on the Node request; adapter: through yoga's fetch adapter.
    '# TYPE pictor_graphql_http_requests_total counter',
    `pictor_graphql_http_requests_total{path="direct"} ${graphqlHttp.direct}`,
    `pictor_graphql_http_requests_total{path="adapter"} ${graphqlHttp.adapter}`,
    // Of the direct ones: operations whose document the whole pipeline had run before (parse, validation and request hooks skipped).
    '# TYPE pictor_graphql_prepared_operations_total counter',
    `pictor_graphql_prepared_operations_total ${graphqlHttp.prepared}`,
    // Submissions written outside a transaction, and the statements that wrote them (group commit).
    '# TYPE pictor_submissions_written_total counter',
    `pictor_submissions_written_total ${submitter.stats.submissions}`,
    '# TYPE pictor_submission_statements_total counter',
    `pictor_submission_statements_total ${submitter.stats.statements}`,
    ...(webhooks?.metrics.lines(webhooks.inFlightCount) ?? []),
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
  ];
  return `${lines.join('\n')}\n`;
}
