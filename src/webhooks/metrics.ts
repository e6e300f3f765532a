import type { DeliveryResult } from './finish-delivery.js';

/** Counters of one process's dispatcher, exported on `/metrics` (Prometheus text). */
export class WebhookMetrics {
  /** Deliveries created from the log. */
  created = 0;
  /** Pending PROGRESS deliveries replaced by a newer one (coalescing). */
  superseded = 0;
  /** Passes over the log's new events (each one statement; most move past events no webhook wants). */
  skipStatements = 0;
  /** Finished attempts by what came of them. */
  readonly attempts: Record<DeliveryResult['kind'], number> = { delivered: 0, retry: 0, failed: 0, gone: 0, canceled: 0, released: 0 };
  /** Sum and count of receivers' answer times (attempts that got an answer). */
  latencyMsSum = 0;
  latencyCount = 0;

  record(result: DeliveryResult): void {
    this.attempts[result.kind] += 1;
    const latencyMs = 'latencyMs' in result ? result.latencyMs : null;
    if (latencyMs !== null) {
      this.latencyMsSum += latencyMs;
      this.latencyCount += 1;
    }
  }

  /** Prometheus text lines; `inFlight` is the number of attempts running now. */
  lines(inFlight: number): string[] {
    return [
      '# TYPE pictor_webhook_deliveries_created_total counter',
      `pictor_webhook_deliveries_created_total ${this.created}`,
      '# TYPE pictor_webhook_deliveries_superseded_total counter',
      `pictor_webhook_deliveries_superseded_total ${this.superseded}`,
      '# TYPE pictor_webhook_log_passes_total counter',
      `pictor_webhook_log_passes_total ${this.skipStatements}`,
      '# TYPE pictor_webhook_attempts_total counter',
      ...Object.entries(this.attempts).map(([outcome, count]) => `pictor_webhook_attempts_total{outcome="${outcome}"} ${count}`),
      '# TYPE pictor_webhook_latency_ms summary',
      `pictor_webhook_latency_ms_sum ${this.latencyMsSum}`,
      `pictor_webhook_latency_ms_count ${this.latencyCount}`,
      '# TYPE pictor_webhook_attempts_in_flight gauge',
      `pictor_webhook_attempts_in_flight ${inFlight}`,
    ];
  }
}
