import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect } from '../../src/db/client.js';

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
