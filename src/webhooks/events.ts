import type { JobEventType } from '../jobs/records.js';

/**
 * Webhook event names, as clients subscribe to them: the job update types of `jobUpdated`, so a
 * terminal event is named by the job status it ends in. `RETRYING` is internal and never delivered.
 */
export const WebhookEvents = ['QUEUED', 'STARTED', 'PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type WebhookEvent = (typeof WebhookEvents)[number];

/** Names accepted on input from before events were named by job status, with the current name. */
export const LegacyWebhookEvents = { COMPLETED: 'SUCCEEDED' } as const satisfies Record<string, WebhookEvent>;
export type LegacyWebhookEvent = keyof typeof LegacyWebhookEvents;

/** The current name of an event named on input (old names are mapped, current ones kept). */
export function currentWebhookEvent(name: WebhookEvent | LegacyWebhookEvent): WebhookEvent {
  return name in LegacyWebhookEvents ? LegacyWebhookEvents[name as LegacyWebhookEvent] : (name as WebhookEvent);
}

/** What a webhook or endpoint receives when it names no events: how each job ended. */
export const DefaultWebhookEvents: readonly WebhookEvent[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

/** Events after which a job changes no more; their deliveries are never superseded. */
export const TerminalWebhookEvents: ReadonlySet<WebhookEvent> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

/** The webhook event a log event is delivered as, or undefined when it is not delivered. */
export function webhookEventOf(type: JobEventType | 'SNAPSHOT'): WebhookEvent | undefined {
  switch (type) {
    case 'QUEUED':
    case 'STARTED':
    case 'PROGRESS':
    case 'SUCCEEDED':
    case 'FAILED':
    case 'CANCELED':
      return type;
    case 'RETRYING':
    case 'SNAPSHOT':
      return undefined;
    default:
      return assertNever(type);
  }
}

/** The envelope's `type` (Standard Webhooks: dot-delimited), e.g. `job.succeeded`. */
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
