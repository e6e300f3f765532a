import type { Sql } from '../db/client.js';
import { Loop } from '../loop.js';
import type { Log } from '../log.js';
import type { BlobStore } from '../storage/blob-store.js';
import { variantPrefix } from '../storage/variants.js';

export interface RetentionOptions {
  readonly sql: Sql;
  readonly store: BlobStore;
  /** IMAGE_TTL_SECONDS: outputs and previews older than this are deleted; 0 keeps them. */
  readonly imageTtlSeconds: number;
  /** Rows and blobs handled per statement. */
  readonly batchSize?: number | undefined;
  /** After a failed blob deletion, wait this long before trying that key again. */
  readonly retryDelayMs?: number | undefined;
}

export interface SweepResult {
  readonly media: number;
  readonly images: number;
  readonly blobsDeleted: number;
  readonly blobsFailed: number;
  /** A batch was full: more may be waiting. */
  readonly more: boolean;
}

const DEFAULT_BATCH = 200;

/**
 * Deletes what expired: media past `expires_at` (set from MEDIA_TTL_SECONDS when created) and
 * images older than IMAGE_TTL_SECONDS. Each statement deletes rows and records their blob keys
 * in the `blob_deletions` outbox atomically, then the blobs (and their cached variants) are
 * deleted and their entries removed. A crash or a store outage between the two leaves the keys
 * in the outbox for the next pass: no row ever points at a deleted blob, and no blob outlives its
 * row. Transactions stay short (no storage calls inside), so they never hold back job events.
 * Safe to run from every worker at once (SKIP LOCKED).
 */
export async function sweepRetention(options: RetentionOptions): Promise<SweepResult> {
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const { sql } = options;
  const [expiredMedia] = await sql<{ count: number }[]>`
    with expired as (
      select id from media where expires_at <= now() order by expires_at limit ${batch} for update skip locked
    ), deleted as (
      delete from media using expired where media.id = expired.id returning media.storage_key
    ), recorded as (
      insert into blob_deletions (storage_key) select storage_key from deleted
      on conflict (storage_key) do update set not_before = now()
    )
    select count(*)::int as count from deleted`;
  let images = 0;
  if (options.imageTtlSeconds > 0) {
    const [expiredImages] = await sql<{ count: number }[]>`
      with expired as (
        select id from images where created_at <= now() - make_interval(secs => ${options.imageTtlSeconds})
        limit ${batch} for update skip locked
      ), deleted as (
        delete from images using expired where images.id = expired.id returning images.storage_key
      ), recorded as (
        insert into blob_deletions (storage_key) select storage_key from deleted
        on conflict (storage_key) do update set not_before = now()
      )
      select count(*)::int as count from deleted`;
    images = expiredImages!.count;
  }
  const blobs = await deletePendingBlobs(options, batch);
  const media = expiredMedia!.count;
  return { media, images, ...blobs, more: media === batch || images === batch || blobs.blobsDeleted + blobs.blobsFailed === batch };
}

/** Deletes the blobs the outbox lists as due; failed ones are retried after `retryDelayMs`. */
async function deletePendingBlobs(options: RetentionOptions, batch: number): Promise<{ blobsDeleted: number; blobsFailed: number }> {
  const { sql, store } = options;
  // Claim by pushing `not_before` forward (a lease), so concurrent sweepers take other keys and
  // a sweeper that dies mid-way hands its keys back by simply not finishing.
  const retryDelayMs = options.retryDelayMs ?? 5 * 60_000;
  const claimed = await sql<{ storageKey: string }[]>`
    update blob_deletions set not_before = now() + make_interval(secs => ${retryDelayMs / 1000}), attempts = attempts + 1
    where storage_key in (
      select storage_key from blob_deletions where not_before <= now() order by not_before limit ${batch} for update skip locked
    )
    returning storage_key`;
  const deleted: string[] = [];
  let blobsFailed = 0;
  await Promise.all(
    claimed.map(async ({ storageKey }) => {
      try {
        await store.deletePrefix(variantPrefix(storageKey));
        await store.delete(storageKey);
        deleted.push(storageKey);
      } catch {
        blobsFailed += 1;
      }
    }),
  );
  if (deleted.length > 0) await sql`delete from blob_deletions where storage_key = any(${deleted}::text[])`;
  return { blobsDeleted: deleted.length, blobsFailed };
}

/** Runs `sweepRetention` every `intervalMs` in worker processes (at once again while batches are full). */
export class RetentionSweeper {
  private readonly loop: Loop;

  constructor(options: RetentionOptions & { readonly intervalMs: number; readonly log: Log }) {
    this.loop = new Loop({
      name: 'Retention sweeper',
      intervalMs: options.intervalMs,
      // After a failure, wait the ordinary interval (initial * 2^1 is already the cap): nothing
      // depends on a sweep being prompt, so there is no point in retrying sooner.
      backoff: { initialMs: options.intervalMs / 2, maxMs: options.intervalMs },
      pass: async () => {
        const result = await sweepRetention(options);
        if (result.media + result.images + result.blobsDeleted + result.blobsFailed > 0) {
          options.log(result.blobsFailed > 0 ? 'warn' : 'info', 'retention sweep', { ...result });
        }
        return result.more;
      },
      onError: (error) => options.log('warn', 'retention sweep failed', { error: error.message }),
    });
  }

  start(): void {
    // A second start() is ignored rather than thrown: a sweep has no state a restart could lose.
    if (this.loop.state === 'created') this.loop.start();
  }

  /** Cuts the current wait short. */
  notify(): void {
    this.loop.notify();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
