import fs from 'node:fs';
import path from 'node:path';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Sql = postgres.Sql;
/** A connection usable for queries: the pool or a transaction. */
export type SqlLike = postgres.Sql | postgres.TransactionSql;
export type Db = PostgresJsDatabase<typeof schema>;

export interface Database {
  /** postgres.js pool for hand-written SQL (queue and realtime statements). */
  readonly sql: Sql;
  /** drizzle over the same pool for ordinary reads and writes. */
  readonly db: Db;
  close(): Promise<void>;
}

/**
 * libpq-style `?host=/socket/dir` URLs (what the embedded server hands out, and what psql and
 * pgbench accept) become postgres.js's explicit `host` option.
 */
function socketHost(url: string): { url: string; host?: string; port?: number } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host');
  if (!host?.startsWith('/')) return { url };
  const port = Number(parsed.searchParams.get('port') ?? 5432);
  parsed.searchParams.delete('host');
  parsed.searchParams.delete('port');
  return { url: parsed.toString(), host, port };
}

export function connect(url: string, options: { max?: number } = {}): Database {
  const target = socketHost(url);
  const sql = postgres(target.url, {
    ...(target.host ? { host: target.host, port: target.port } : {}),
    max: options.max ?? 10,
    onnotice: () => undefined,
    // int8 columns come back as JS numbers: ids, credits and seeds stay far below 2^53.
    types: { int8: { to: 20, from: [20], parse: (value: string) => Number(value), serialize: (value: number) => String(value) } },
    transform: { undefined: null },
    connection: { application_name: 'pictor' },
  });
  const db = drizzle(sql, { schema });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}

/**
 * The migrations folder, found from the working directory or the package root (not from
 * import.meta.url) so `tsx src/...`, tests and a compiled build all find it.
 */
export function migrationsFolder(): string {
  const candidates = [path.resolve('drizzle'), path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../drizzle')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'meta', '_journal.json')));
  if (!found) throw new Error(`drizzle migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Applies pending migrations; safe to run from several processes at once. */
export async function runMigrations(database: Database): Promise<void> {
  // Serialise concurrent starters (api + worker processes) on one session-level advisory lock.
  const lockConnection = await database.sql.reserve();
  try {
    await lockConnection`select pg_advisory_lock(7431001)`;
    await migrate(database.db, { migrationsFolder: migrationsFolder() });
  } finally {
    await lockConnection`select pg_advisory_unlock(7431001)`.catch(() => undefined);
    lockConnection.release();
  }
}
