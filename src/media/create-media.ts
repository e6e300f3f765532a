import { createHash, randomUUID } from 'node:crypto';
import type { Sql } from '../db/client.js';
import type { Fetcher } from '../net/safe-fetch.js';
import type { BlobStore } from '../storage/blob-store.js';
import { ContentTypes } from '../storage/images.js';
import type { MediaResult } from './errors.js';
import type { MediaRecord, MediaSource } from './records.js';
import { fetchMediaBytes } from './sources.js';
import { inspectImage, type MediaLimits } from './validate.js';

export interface CreateMediaOptions {
  readonly sql: Sql;
  readonly store: BlobStore;
  readonly accountId: string;
  readonly limits: MediaLimits;
  /** MEDIA_TTL_SECONDS: the media expires this long after creation; 0 keeps it. */
  readonly ttlSeconds: number;
}

/** A pending upload's key is deleted by the sweeper unless its row appears within this time. */
const PENDING_UPLOAD_GRACE = '1 hour';

/**
 * Validates bytes by content and stores them as a media of the account. A refusal stores
 * nothing. The blob and the row appear together: the key is written to the deletion outbox
 * before the blob, and taken out of it in the transaction that inserts the row, so a crash or a
 * failed insert in between leaves nothing behind once the sweeper passes.
 */
export async function createMedia(bytes: Uint8Array, source: MediaSource, options: CreateMediaOptions): Promise<MediaResult<MediaRecord>> {
  const inspected = await inspectImage(bytes, options.limits);
  if (!inspected.ok) return inspected;
  const { format, width, height, thumbhash } = inspected.value;
  const { sql, store, accountId } = options;
  const id = randomUUID();
  const storageKey = `media/${accountId}/${id}.${format}`;
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  await sql`insert into blob_deletions (storage_key, not_before) values (${storageKey}, now() + ${PENDING_UPLOAD_GRACE}::interval)`;
  try {
    await store.put(storageKey, bytes, { contentType: ContentTypes[format] });
    const expiresAt = options.ttlSeconds > 0 ? sql`now() + make_interval(secs => ${options.ttlSeconds})` : sql`null`;
    const [row] = await sql.begin(async (tx) => {
      await tx`delete from blob_deletions where storage_key = ${storageKey}`;
      return tx<MediaRecord[]>`
        insert into media (id, account_id, storage_key, width, height, format, bytes, sha256, thumbhash, source, expires_at)
        values (${id}, ${accountId}, ${storageKey}, ${width}, ${height}, ${format}, ${bytes.byteLength}, ${sha256}, ${thumbhash}, ${source}, ${expiresAt})
        returning *`;
    });
    return { ok: true, value: row! };
  } catch (error) {
    // Clean up now when we can; otherwise the outbox entry (still there: the transaction rolled
    // back) lets the sweeper do it later.
    await store
      .delete(storageKey)
      .then(() => sql`delete from blob_deletions where storage_key = ${storageKey}`)
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Creates a media from an http(s) URL (fetched through the SSRF guard) or a base64 data URL.
 * Every fetch failure is a refusal with a code, never an exception; cancellation still throws.
 */
export async function importMedia(url: string, options: CreateMediaOptions & { fetcher: Fetcher; signal?: AbortSignal }): Promise<MediaResult<MediaRecord>> {
  const bytes = await fetchMediaBytes(url, options);
  if (!bytes.ok) return bytes;
  return createMedia(bytes.value, url.trimStart().startsWith('data:') ? 'data_url' : 'url', options);
}
