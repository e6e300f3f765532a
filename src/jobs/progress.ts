import type { SqlLike } from '../db/client.js';
import type { StoredImageInfo } from '../storage/images.js';

export interface ProgressWrite {
  jobId: string;
  workerId: string;
  progress: number;
  stage: string | null;
  /** A stored preview frame to attach (inserted as an image, with its placeholder, in the same statement). */
  preview?: StoredImageInfo;
}

/**
 * Records progress (and optionally a preview image) for a running job in one short statement.
 * Writes nothing when the job is no longer ours (canceled, swept); returns whether it was.
 */
export async function recordProgress(sql: SqlLike, write: ProgressWrite): Promise<boolean> {
  const preview = write.preview;
  const rows = await sql`
    with job as (
      update jobs set progress = greatest(progress, ${write.progress}), stage = ${write.stage}
      where id = ${write.jobId} and locked_by = ${write.workerId} and status = 'RUNNING'
      returning id, account_id, progress
    ), preview as (
      insert into images (id, account_id, job_id, kind, storage_key, width, height, format, bytes, sha256)
      select ${preview?.id ?? null}::uuid, account_id, id, 'preview', ${preview?.storageKey ?? ''}, ${preview?.width ?? 0},
             ${preview?.height ?? 0}, ${preview?.format ?? ''}, ${preview?.bytes ?? 0}, ${preview?.sha256 ?? ''}
      from job where ${preview !== undefined}
      returning id
    ), placeholder as (
      insert into image_placeholders (image_id, thumbhash)
      select id, ${preview?.thumbhash ?? null}::text from preview where ${preview?.thumbhash ?? null}::text is not null
    )
    insert into job_events (job_id, account_id, type, status, progress, stage, preview_image_id)
    select id, account_id, 'PROGRESS', 'RUNNING', progress, ${write.stage}, (select id from preview) from job
    returning id`;
  return rows.length > 0;
}
