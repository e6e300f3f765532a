import type { SqlLike } from '../db/client.js';
import type { ImageRecord, JobRecord, JobStatus } from './records.js';

/** Reads of jobs and their output images, shared by GraphQL and REST so both show the same rows. */

const Uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account's job, or undefined for unknown ids, other accounts' jobs and ids that are not ids. */
export async function findJobForAccount(sql: SqlLike, accountId: string, jobId: string): Promise<JobRecord | undefined> {
  // A malformed id would make Postgres reject the uuid cast; to the caller it is simply unknown.
  if (!Uuid.test(jobId)) return undefined;
  const [job] = await sql<JobRecord[]>`select * from jobs where id = ${jobId} and account_id = ${accountId}`;
  return job;
}

/** Which of an account's jobs a list shows; every filter is optional. */
export interface JobListFilters {
  /** Page size; one more row is read to tell whether another page follows. */
  first: number;
  /** Only jobs queued before this one (`seq` below it): the cursor of the previous page. */
  beforeSeq?: number | null;
  /** Only jobs in one of these statuses (empty or absent: any status). */
  statuses?: readonly JobStatus[] | null;
  /** Only jobs of this model id (aliases already resolved by the caller). */
  modelId?: string | null;
  /** Only jobs created at or after this instant. */
  createdAfter?: Date | null;
  /** Only jobs created before this instant. */
  createdBefore?: Date | null;
}

/** One page of an account's jobs, newest first. */
export async function listJobsForAccount(sql: SqlLike, accountId: string, filters: JobListFilters): Promise<{ jobs: JobRecord[]; hasNextPage: boolean }> {
  const { first, beforeSeq, statuses, modelId, createdAfter, createdBefore } = filters;
  const rows = await sql<JobRecord[]>`
    select * from jobs
    where account_id = ${accountId}
      ${beforeSeq != null ? sql`and seq < ${beforeSeq}` : sql``}
      ${statuses?.length ? sql`and status = any(${statuses as JobStatus[]}::text[])` : sql``}
      ${modelId ? sql`and model_id = ${modelId}` : sql``}
      ${createdAfter ? sql`and created_at >= ${createdAfter}` : sql``}
      ${createdBefore ? sql`and created_at < ${createdBefore}` : sql``}
    order by seq desc
    limit ${first + 1}`;
  return { jobs: rows.slice(0, first), hasNextPage: rows.length > first };
}

/** A queued job's place in the queue: 1 when it is next to be claimed. */
export async function queuePosition(sql: SqlLike, job: Pick<JobRecord, 'seq'>): Promise<number> {
  const [row] = await sql<{ ahead: number }[]>`select count(*)::int as ahead from jobs where status = 'QUEUED' and seq < ${job.seq}`;
  return (row?.ahead ?? 0) + 1;
}

/** A job's output images in the order the upstream returned them. */
export async function outputImagesOf(sql: SqlLike, jobId: string): Promise<ImageRecord[]> {
  return sql<ImageRecord[]>`select * from images where job_id = ${jobId} and kind = 'output' order by position`;
}

/** Those of the ids that name the account's jobs (ids that are not uuids name nothing). */
export async function findJobsForAccount(sql: SqlLike, accountId: string, ids: readonly string[]): Promise<JobRecord[]> {
  const wellFormed = ids.filter((id) => Uuid.test(id));
  return wellFormed.length ? sql<JobRecord[]>`select * from jobs where id = any(${wellFormed}::uuid[]) and account_id = ${accountId}` : [];
}

/** Those of the ids that name the account's stored pictures (outputs and previews). */
export async function findImagesForAccount(sql: SqlLike, accountId: string, ids: readonly string[]): Promise<ImageRecord[]> {
  const wellFormed = ids.filter((id) => Uuid.test(id));
  return wellFormed.length ? sql<ImageRecord[]>`select * from images where id = any(${wellFormed}::uuid[]) and account_id = ${accountId}` : [];
}
