import type { Sql } from '../db/client.js';
import { coerceError } from '../errors.js';
import type { Log } from '../services.js';
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

type SweeperState = 'created' | 'active' | 'stopping' | 'stopped';

/** Runs `sweepRetention` every `intervalMs` in worker processes (at once again while batches are full). */
export class RetentionSweeper {
  private state: SweeperState = 'created';
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: RetentionOptions & { readonly intervalMs: number; readonly log: Log }) {}

  start(): void {
    if (this.state !== 'created') return;
    this.state = 'active';
    this.running = this.run();
  }

  /** Cuts the current wait short. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    if (this.state !== 'active') return;
    this.state = 'stopping';
    this.wake?.();
    await this.running;
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    while (this.state === 'active') {
      let more = false;
      try {
        const result = await sweepRetention(this.options);
        more = result.more;
        if (result.media + result.images + result.blobsDeleted + result.blobsFailed > 0) {
          this.options.log(result.blobsFailed > 0 ? 'warn' : 'info', 'retention sweep', { ...result });
        }
      } catch (error) {
        // Report and wait for the next interval rather than spinning on a broken database.
        this.options.log('warn', 'retention sweep failed', { error: coerceError(error).message });
      }
      if (!more && this.state === 'active') await this.sleep(this.options.intervalMs);
    }
  }

  private sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, milliseconds);
      this.wake = done;
    });
  }
}
