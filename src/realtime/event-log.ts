import type { SqlLike } from '../db/client.js';
import type { ImageRecord, JobEventRecord, JobRecord } from '../jobs/records.js';
import { type EventKey } from './cursor.js';

/** A log event ready for delivery: the event, its key, and the job as it is now. */
export interface JobUpdateEvent {
  readonly key: EventKey;
  readonly event: JobEventRecord;
  readonly job: JobRecord & { images?: ImageRecord[] };
  readonly preview: ImageRecord | null;
}

const BATCH = 500;

/**
 * Every statement here qualifies its columns (`e.xid`): the rows carry the xid as text for
 * JavaScript, and an unqualified `order by xid` would sort by that text alias (`'9999' > '10000'`),
 * losing and repeating events once transaction ids cross a power of ten.
 *
 * Reads events after `after` whose writing transactions have all ended (xid below the oldest
 * running transaction), in (xid, id) order. Rows of still-running or just-committed transactions
 * with a newer xid wait for the next read, so nothing is ever skipped.
 */
export async function readStableEvents(sql: SqlLike, after: EventKey, filter: { jobId?: string; accountId?: string } = {}, limit = BATCH): Promise<JobEventRecord[]> {
  return sql<JobEventRecord[]>`
    select e.id, e.xid::text as xid, e.job_id, e.account_id, e.type, e.status, e.progress, e.stage, e.preview_image_id, e.message, e.created_at
    from job_events e
    where (e.xid, e.id) > (${after.xid.toString()}::xid8, ${after.id})
      and e.xid < pg_snapshot_xmin(pg_current_snapshot())
      ${filter.jobId ? sql`and e.job_id = ${filter.jobId}` : sql``}
      ${filter.accountId ? sql`and e.account_id = ${filter.accountId}` : sql``}
    order by e.xid, e.id
    limit ${limit}`;
}

/**
 * Where a reader that wants none of the events after `after` moves to: the newest stable event
 * after it (the last row `readStableEvents` would return without a limit) and how many there are,
 * without sending the rows. `undefined` when there is none yet.
 */
export async function passStableEvents(sql: SqlLike, after: EventKey): Promise<{ last: EventKey; count: number } | undefined> {
  const [row] = await sql<{ xid: string; id: number; count: number }[]>`
    select e.xid::text as xid, e.id, count(*) over ()::int as count
    from job_events e
    where (e.xid, e.id) > (${after.xid.toString()}::xid8, ${after.id})
      and e.xid < pg_snapshot_xmin(pg_current_snapshot())
    order by e.xid desc, e.id desc
    limit 1`;
  return row ? { last: { xid: BigInt(row.xid), id: row.id }, count: row.count } : undefined;
}

/** The newest stable position of the log: where a fresh reader starts. */
export async function stableFrontier(sql: SqlLike): Promise<EventKey> {
  const [row] = await sql<{ xid: string; id: number }[]>`
    select e.xid::text as xid, e.id from job_events e
    where e.xid < pg_snapshot_xmin(pg_current_snapshot())
    order by e.xid desc, e.id desc limit 1`;
  return row ? { xid: BigInt(row.xid), id: row.id } : { xid: 0n, id: 0 };
}

export function keyOf(event: JobEventRecord): EventKey {
  return { xid: BigInt(event.xid), id: event.id };
}

/**
 * Attaches the current job rows (with output images for finished jobs) and preview images to a
 * batch of events, in two queries however many events and subscribers there are.
 */
export async function hydrateEvents(sql: SqlLike, events: JobEventRecord[]): Promise<JobUpdateEvent[]> {
  if (events.length === 0) return [];
  const jobIds = [...new Set(events.map((event) => event.jobId))];
  const previewIds = [...new Set(events.flatMap((event) => (event.previewImageId ? [event.previewImageId] : [])))];
  const [jobs, images] = await Promise.all([
    sql<JobRecord[]>`select * from jobs where id = any(${jobIds}::uuid[])`,
    sql<ImageRecord[]>`
      select * from images
      where (job_id = any(${jobIds}::uuid[]) and kind = 'output') or id = any(${previewIds}::uuid[])
      order by position`,
  ]);
  const jobsById = new Map(jobs.map((job) => [job.id, { ...job, images: [] as ImageRecord[] }]));
  const imagesById = new Map(images.map((image) => [image.id, image]));
  for (const image of images) if (image.kind === 'output' && image.jobId) jobsById.get(image.jobId)?.images.push(image);
  return events.flatMap((event) => {
    const job = jobsById.get(event.jobId);
    // A job deleted meanwhile (retention) has nothing left to show.
    if (!job) return [];
    return [{ key: keyOf(event), event, job, preview: event.previewImageId ? (imagesById.get(event.previewImageId) ?? null) : null }];
  });
}
