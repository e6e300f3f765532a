import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect, type Database, type Sql } from '../../src/db/client.js';
import { trackOpen } from './open-resources.js';

/** A fresh database cloned from the migrated template; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const serverUrl = inject('databaseServerUrl');
  const name = `pictor_test_${randomBytes(5).toString('hex')}`;
  const admin = connect(serverUrl, { max: 1 });
  try {
    await admin.sql.unsafe(`create database ${name} template ${inject('templateDatabase')}`);
  } finally {
    await admin.close();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A connection pool to a test database, tracked by the leak check until `close()`. */
export function connectTestDatabase(url: string, options: { max?: number } = {}): Database {
  const database = connect(url, { max: options.max ?? 4 });
  const closed = trackOpen(`a database connection pool to ${new URL(url).pathname.slice(1)} (connectTestDatabase: call close())`);
  return { ...database, close: () => database.close().then(closed) };
}

/**
 * A transaction on its own connection that stays open between statements until `commit()` (or
 * `rollback()`): for tests about what other sessions see while a writer is still running.
 */
export async function heldTransaction(sql: Sql): Promise<{ sql: Sql; commit: () => Promise<void>; rollback: () => Promise<void> }> {
  const connection = await sql.reserve();
  await connection`begin`;
  const end = async (statement: 'commit' | 'rollback') => {
    await connection.unsafe(statement);
    connection.release();
  };
  return { sql: connection as unknown as Sql, commit: () => end('commit'), rollback: () => end('rollback') };
}
