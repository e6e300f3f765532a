import type { SqlLike } from './client.js';

/** The cheapest statement that proves the server answers on this connection pool. */
export async function pingDatabase(sql: SqlLike): Promise<void> {
  await sql`select 1`;
}
