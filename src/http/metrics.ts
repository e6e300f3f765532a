import type { Worker } from '../jobs/worker.js';
import type { RealtimeHub } from '../realtime/hub.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';

/** `GET /metrics` in the Prometheus text format. */
export function metricsText(hub: RealtimeHub, worker: Worker | undefined, webhooks: WebhookDispatcher | undefined): string {
  const lines = [
    '# TYPE pictor_realtime_subscribers gauge',
    `pictor_realtime_subscribers ${hub.subscriberCount}`,
    '# TYPE pictor_realtime_poller_queries_total counter',
    `pictor_realtime_poller_queries_total ${hub.poller.queries}`,
    '# TYPE pictor_realtime_events_total counter',
    `pictor_realtime_events_total ${hub.poller.eventsRead}`,
    '# TYPE pictor_worker_running_jobs gauge',
    `pictor_worker_running_jobs ${worker?.activeJobIds.length ?? 0}`,
    ...(webhooks?.metrics.lines(webhooks.inFlightCount) ?? []),
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
  ];
  return `${lines.join('\n')}\n`;
}
