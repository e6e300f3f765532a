import type { JobEventType } from '../jobs/records.js';

/**
 * Webhook event names, as clients subscribe to them (Apiframe's `webhookEvents`, upper case).
 * `COMPLETED` is the log's `SUCCEEDED`; `RETRYING` is internal and never delivered.
 */
export const WebhookEvents = ['QUEUED', 'STARTED', 'PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED'] as const;
export type WebhookEvent = (typeof WebhookEvents)[number];

/** What a webhook or endpoint receives when it names no events: how each job ended. */
export const DefaultWebhookEvents: readonly WebhookEvent[] = ['COMPLETED', 'FAILED', 'CANCELED'];

/** Events after which a job changes no more; their deliveries are never superseded. */
export const TerminalWebhookEvents: ReadonlySet<WebhookEvent> = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/** The webhook event a log event is delivered as, or undefined when it is not delivered. */
export function webhookEventOf(type: JobEventType | 'SNAPSHOT'): WebhookEvent | undefined {
  switch (type) {
    case 'QUEUED':
    case 'STARTED':
    case 'PROGRESS':
    case 'FAILED':
    case 'CANCELED':
      return type;
    case 'SUCCEEDED':
      return 'COMPLETED';
    case 'RETRYING':
    case 'SNAPSHOT':
      return undefined;
    default:
      return assertNever(type);
  }
}

/** The envelope's `type` (Standard Webhooks: dot-delimited), e.g. `job.completed`. */
export function envelopeType(event: WebhookEvent): string {
  return `job.${event.toLowerCase()}`;
}

/** The job's own webhook as stored in `jobs.webhook`. */
export interface JobWebhook {
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  /** Set when the receiver answered 410 Gone: nothing more is sent to it. */
  readonly disabled?: boolean;
}

function assertNever(value: never): never {
  throw new Error(`unexpected job event type ${String(value)}`);
}
