import type { SqlLike } from '../db/client.js';
import type { BlobStore } from '../storage/blob-store.js';
import { computeThumbhash, type StoredImageInfo } from '../storage/images.js';

/**
 * ThumbHash placeholders of images live in `image_placeholders` (deleted with their image).
 * `storeImage` computes them at store time; a job's outputs and previews get theirs in the same
 * statement that inserts the image rows (src/jobs/finish.ts, progress.ts). Images stored without
 * one get it computed on first read, once, and recorded here.
 */
export async function recordImagePlaceholders(sql: SqlLike, images: readonly Pick<StoredImageInfo, 'id' | 'thumbhash'>[]): Promise<void> {
  const rows = images.filter((image): image is { id: string; thumbhash: string } => typeof image.thumbhash === 'string');
  if (rows.length === 0) return;
  // Only for rows that exist: an aborted job's images were never inserted.
  await sql`
    insert into image_placeholders (image_id, thumbhash)
    select images.id, placeholder.thumbhash
    from unnest(${rows.map((row) => row.id)}::uuid[], ${rows.map((row) => row.thumbhash)}::text[]) as placeholder(image_id, thumbhash)
    join images on images.id = placeholder.image_id
    on conflict (image_id) do nothing`;
}

/** The image's placeholder: stored, or computed from its blob now and stored for next time. */
export async function imageThumbhash(sql: SqlLike, store: BlobStore, image: { id: string; storageKey: string }): Promise<string | null> {
  const [stored] = await sql<{ thumbhash: string }[]>`select thumbhash from image_placeholders where image_id = ${image.id}`;
  if (stored) return stored.thumbhash;
  const bytes = await store.get(image.storageKey);
  if (!bytes) return null;
  const thumbhash = await computeThumbhash(bytes).catch(() => null);
  if (thumbhash) await recordImagePlaceholders(sql, [{ id: image.id, thumbhash }]);
  return thumbhash;
}
