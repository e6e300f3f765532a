/** Row shapes of the queue tables as hand-written SQL returns them (camelCase columns). */

export const JobStatuses = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type JobStatus = (typeof JobStatuses)[number];
export const TerminalStatuses: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

export const JobEventTypes = ['QUEUED', 'STARTED', 'PROGRESS', 'RETRYING', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type JobEventType = (typeof JobEventTypes)[number];

export interface JobRecord {
  id: string;
  seq: number;
  accountId: string;
  modelId: string;
  params: Record<string, unknown>;
  n: number;
  calls: number[];
  requestedModelId: string | null;
  referenceImages: ReferenceImage[];
  output: OutputRequest;
  template: string | null;
  seed: number;
  status: JobStatus;
  progress: number;
  stage: string | null;
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  runAfter: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  cancelRequestedAt: Date | null;
  warnings: string[];
  errorCode: string | null;
  errorMessage: string | null;
  provider: string | null;
  providerAttempts: import('./routing.js').ProviderAttempt[];
  usage: { costUsd?: number | null; inputTokens?: number | null; outputTokens?: number | null; raw?: unknown } | null;
  creditsHeld: number;
  creditsCharged: number | null;
  idempotencyKey: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * A reference image as the client gave it, in order (resolved to bytes when the job runs). The
 * edit mask, when there is one, is stored last with `role: 'mask'`; it is not a reference.
 */
export type ReferenceImage = ({ mediaId: string } | { url: string } | { dataUrl: string }) & { role?: 'mask' };

/** How outputs are encoded before they are stored; absent fields keep what the engine made. */
export interface OutputRequest {
  format?: 'png' | 'webp' | 'jpeg' | 'svg';
  /** 0-100 quality-style level for webp/jpeg (100 keeps the most detail), as OpenAI's output_compression. */
  compression?: number;
  background?: 'auto' | 'transparent' | 'opaque';
}

export interface ImageRecord {
  id: string;
  accountId: string;
  jobId: string | null;
  kind: 'output' | 'preview';
  position: number;
  storageKey: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  sha256: string;
  createdAt: Date;
}

export interface JobEventRecord {
  id: number;
  /** xid8 as decimal text. */
  xid: string;
  jobId: string;
  accountId: string;
  type: JobEventType | 'SNAPSHOT';
  status: JobStatus;
  progress: number;
  stage: string | null;
  previewImageId: string | null;
  message: string | null;
  createdAt: Date;
}

/** Channels for LISTEN/NOTIFY wake-ups (sent after commit, never inside a write transaction). */
export const Channels = {
  /** A job became claimable. */
  jobsAvailable: 'pictor_jobs',
  /** Payload: job id whose cancellation was requested while running. */
  cancelRequested: 'pictor_cancel',
} as const;
