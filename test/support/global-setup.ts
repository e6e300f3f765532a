import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect, runMigrations } from '../../src/db/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the `postgres` database of the test server (embedded unless DATABASE_URL is set). */
    databaseServerUrl: string;
    /** Name of the migrated template each test file clones. */
    templateDatabase: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;

/**
 * One real PostgreSQL for the whole run (embedded in a temporary directory, or the server of
 * DATABASE_URL) with a migrated template database; each test file clones its own database from it.
 */
export async function setup(project: TestProject): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-test-'));
    embedded = await startEmbeddedPostgres({ dataDir });
    serverUrl = embedded.url;
  }
  const template = `pictor_template_${process.pid}`;
  const admin = connect(serverUrl, { max: 1 });
  await admin.sql.unsafe(`drop database if exists ${template}`);
  await admin.sql.unsafe(`create database ${template}`);
  await admin.close();
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const templateDatabase = connect(templateUrl.toString(), { max: 1 });
  await runMigrations(templateDatabase);
  await templateDatabase.close();
  project.provide('databaseServerUrl', serverUrl);
  project.provide('templateDatabase', template);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}
