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
  /** postgres.js pool for hand-written SQL (queue, realtime and API statements). */
  readonly sql: Sql;
  /** The URL it was opened with (migrations open their own short-lived connection). */
  readonly url: string;
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

function openSql(url: string, max: number): Sql {
  const target = socketHost(url);
  return postgres(target.url, {
    ...(target.host ? { host: target.host, port: target.port } : {}),
    max,
    onnotice: () => undefined,
    // int8 columns come back as JS numbers: ids, credits and seeds stay far below 2^53.
    types: { int8: { to: 20, from: [20], parse: (value: string) => Number(value), serialize: (value: number) => String(value) } },
    // Hand-written SQL returns camelCase column names. Only names: JSON values (params, upstream
    // usage, webhook payloads) come back exactly as stored.
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel }, undefined: null },
    connection: { application_name: 'pictor' },
  });
}

export function connect(url: string, options: { max?: number } = {}): Database {
  const sql = openSql(url, options.max ?? 10);
  return { sql, url, close: () => sql.end({ timeout: 5 }) };
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
  // drizzle re-registers postgres.js type parsers on the client it is given (dates and JSON
  // become raw strings), so it gets its own short-lived connection, never the shared pool.
  const migrationSql = openSql(database.url, 1);
  try {
    // Serialise concurrent starters (api + worker processes); the session lock dies with the connection.
    await migrationSql`select pg_advisory_lock(7431001)`;
    await migrate(drizzle(migrationSql, { schema }) as Db, { migrationsFolder: migrationsFolder() });
  } finally {
    await migrationSql.end({ timeout: 5 });
  }
}
