import type { SqlLike } from '../db/client.js';
import type { MediaFormat } from '../storage/sniff.js';

/** How a media entered Pictor. */
export const MediaSources = ['upload', 'url', 'data_url'] as const;
export type MediaSource = (typeof MediaSources)[number];

/** A `media` row as hand-written SQL returns it (camelCase columns). */
export interface MediaRecord {
  id: string;
  accountId: string;
  storageKey: string;
  width: number;
  height: number;
  format: MediaFormat;
  bytes: number;
  sha256: string;
  thumbhash: string;
  source: MediaSource;
  createdAt: Date;
  expiresAt: Date | null;
}

const Uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One of the account's media, or undefined: unknown ids, other accounts' media and expired media
 * (which the sweeper may not have reached yet) all look the same.
 */
export async function findMedia(sql: SqlLike, accountId: string, id: string): Promise<MediaRecord | undefined> {
  if (!Uuid.test(id)) return undefined;
  const [row] = await sql<MediaRecord[]>`
    select * from media
    where id = ${id} and account_id = ${accountId} and (expires_at is null or expires_at > now())`;
  return row;
}

/** Those of the ids that name live media of the account, as `findMedia` sees them. */
export async function findMediaByIds(sql: SqlLike, accountId: string, ids: readonly string[]): Promise<MediaRecord[]> {
  const wellFormed = ids.filter((id) => Uuid.test(id));
  if (wellFormed.length === 0) return [];
  return sql<MediaRecord[]>`
    select * from media
    where id = any(${wellFormed}::uuid[]) and account_id = ${accountId} and (expires_at is null or expires_at > now())`;
}

/** Of the given ids, those that are not live media of the account (for checking references early). */
export async function findMissingMedia(sql: SqlLike, accountId: string, ids: readonly string[]): Promise<string[]> {
  const wellFormed = ids.filter((id) => Uuid.test(id));
  const rows = wellFormed.length
    ? await sql<{ id: string }[]>`
        select id from media
        where id = any(${wellFormed}::uuid[]) and account_id = ${accountId} and (expires_at is null or expires_at > now())`
    : [];
  const found = new Set(rows.map((row) => row.id));
  return ids.filter((id) => !found.has(id.toLowerCase()));
}
