import type { SqlLike } from '../db/client.js';
import type { SignedFile } from '../storage/signed-urls.js';
import type { VariantSource } from '../storage/variants.js';

/** The stored original a signed file URL names; media past their expiry are gone already. */
export async function findFileSource(sql: SqlLike, file: SignedFile): Promise<VariantSource | undefined> {
  const [row] =
    file.kind === 'media'
      ? await sql<VariantSource[]>`select storage_key, format, sha256 from media where id = ${file.id} and (expires_at is null or expires_at > now())`
      : await sql<VariantSource[]>`select storage_key, format, sha256 from images where id = ${file.id}`;
  return row;
}
