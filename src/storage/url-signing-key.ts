import { randomBytes } from 'node:crypto';
import type { SqlLike } from '../db/client.js';

/**
 * The deployment's key for signing file URLs: created once, on first start, and kept in the
 * database so every process (and every restart) signs and verifies with the same key.
 */
export async function loadUrlSigningKey(sql: SqlLike): Promise<string> {
  await sql`insert into settings (key, value) values ('url_signing_key', ${randomBytes(32).toString('base64url')}) on conflict do nothing`;
  const [row] = await sql<{ value: string }[]>`select value from settings where key = 'url_signing_key'`;
  return row!.value;
}
