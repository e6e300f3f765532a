import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, runMigrations, type Sql } from '../../src/db/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';

/**
 * A PostgreSQL cluster of a test's own (the shared test server must not have its transaction ids
 * moved or be restarted under other test files), migrated, in a temporary directory.
 */
export interface DedicatedPostgres {
  readonly dataDir: string;
  /** URL of the migrated `postgres` database. */
  readonly url: string;
  readonly server: EmbeddedPostgres;
  /** Stops and starts the server again (same data). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDedicatedPostgres(): Promise<DedicatedPostgres> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-pg-'));
  let server = await startEmbeddedPostgres({ dataDir });
  const setup = connect(server.url, { max: 1 });
  try {
    await runMigrations(setup);
  } finally {
    await setup.close();
  }
  return {
    dataDir,
    url: server.url,
    get server() {
      return server;
    },
    async restart() {
      await server.stop();
      server = await startEmbeddedPostgres({ dataDir });
    },
    async stop() {
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Consumes transaction ids until the next one handed out is `target` (each loop turn commits,
 * so every turn takes a fresh xid: about 300k per second).
 */
export async function burnTransactionIdsUntil(sql: Sql, target: bigint): Promise<void> {
  await sql`create or replace procedure pictor_test_burn_xids(count integer) language plpgsql as $$
    begin for turn in 1..count loop perform pg_current_xact_id(); commit; end loop; end $$`;
  const [row] = await sql<{ next: string }[]>`select pg_current_xact_id()::text as next`;
  const remaining = target - BigInt(row!.next) - 1n;
  if (remaining < 0n) throw new Error(`transaction ids already past ${target}`);
  if (remaining > 0n) await sql`call pictor_test_burn_xids(${Number(remaining)})`;
}
