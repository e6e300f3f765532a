import type { SqlLike } from '../db/client.js';
import type { JobEventType, JobStatus } from './records.js';

export interface NewJobEvent {
  jobId: string;
  accountId: string;
  type: JobEventType;
  status: JobStatus;
  progress: number;
  stage?: string | null;
  previewImageId?: string | null;
  message?: string | null;
}

/** Appends one event to the log, in the caller's transaction (its xid becomes the cursor). */
export async function appendJobEvent(sql: SqlLike, event: NewJobEvent): Promise<void> {
  await sql`
    insert into job_events (job_id, account_id, type, status, progress, stage, preview_image_id, message)
    values (${event.jobId}, ${event.accountId}, ${event.type}, ${event.status}, ${event.progress},
            ${event.stage ?? null}, ${event.previewImageId ?? null}, ${event.message ?? null})`;
}
