import type { images, jobEvents, jobs } from '../db/schema/jobs.js';
import type { OutputRequest } from '../catalog/request.js';
import type { ProviderAttempt } from './routing.js';

/** Row shapes of the queue tables as hand-written SQL returns them (camelCase columns). */

export const JobStatuses = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type JobStatus = (typeof JobStatuses)[number];
export const TerminalStatuses: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

export const JobEventTypes = ['QUEUED', 'STARTED', 'PROGRESS', 'RETRYING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type JobEventType = (typeof JobEventTypes)[number];

/** What an upstream reported it used, merged over a job's calls. */
export interface JobUsage {
  costUsd?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  raw?: unknown;
}

/**
 * A `jobs` row, its columns inferred from the table. Narrowed where the table cannot say what
 * Pictor stores: the jsonb columns (drizzle infers `unknown`) get the shapes Pictor writes, and
 * `status` (a text column) its closed set. `webhook` stays `unknown`: src/webhooks/ reads it.
 */
export type JobRecord = Omit<typeof jobs.$inferSelect, 'params' | 'referenceImages' | 'output' | 'status' | 'providerAttempts' | 'usage' | 'providerPassthrough'> & {
  params: Record<string, unknown>;
  referenceImages: ReferenceImage[];
  output: OutputRequest;
  status: JobStatus;
  providerAttempts: ProviderAttempt[];
  usage: JobUsage | null;
  providerPassthrough: Record<string, unknown> | null;
};

/**
 * A reference image as the client gave it, in order (resolved to bytes when the job runs). The
 * edit mask, when there is one, is stored last with `role: 'mask'`; it is not a reference.
 */
export type ReferenceImage = ({ mediaId: string } | { url: string } | { dataUrl: string }) & { role?: 'mask' };

/** An `images` row; `kind` (a text column) narrowed to the two kinds Pictor writes. */
export type ImageRecord = Omit<typeof images.$inferSelect, 'kind'> & { kind: 'output' | 'preview' };

/**
 * A `job_events` row; `type` and `status` (text columns) narrowed to their closed sets, plus
 * `SNAPSHOT`, the synthetic first update of a stream opened without a cursor (never stored).
 * `xid` is the xid8 as decimal text.
 */
export type JobEventRecord = Omit<typeof jobEvents.$inferSelect, 'type' | 'status'> & { type: JobEventType | 'SNAPSHOT'; status: JobStatus };

/** Channels for LISTEN/NOTIFY wake-ups, all sent by the database at commit (see wake-ups.ts). */
export const Channels = {
  /** Job writes (trigger `job_events_notify` on every statement appending events); payload `JobEventsPayload`. */
  jobEvents: 'pictor_job_events',
  /** New webhook deliveries (trigger `webhook_deliveries_notify`). */
  webhookDeliveries: 'pictor_webhook_deliveries',
  /** Payload: job id whose cancellation was requested while running (sent by `cancelJob`). */
  cancelRequested: 'pictor_cancel',
} as const;
