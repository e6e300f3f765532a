import type { Database, SqlLike } from '../../src/db/client.js';
import { appendJobEvent } from '../../src/jobs/events.js';
import type { JobRecord } from '../../src/jobs/records.js';
import { RealtimeHub } from '../../src/realtime/hub.js';
import { connectTestDatabase, createTestDatabase } from './database.js';

/** A started hub polling every 10 ms on a fresh test database (for the hub's own tests, without HTTP). */
export async function startTestHub(connections: number): Promise<{ database: Database; hub: RealtimeHub }> {
  const database = connectTestDatabase(await createTestDatabase(), { max: connections });
  const hub = new RealtimeHub(database.sql, { pollMs: 10, log: () => undefined });
  hub.start();
  return { database, hub };
}

export async function stopTestHub(test: { database?: Database; hub?: RealtimeHub }): Promise<void> {
  await test.hub?.stop();
  await test.database?.close();
}

/** Appends a PROGRESS event named `name` to the job's log (what the hub tests watch arrive). */
export function appendStage(sql: SqlLike, job: JobRecord, name: string) {
  return appendJobEvent(sql, { jobId: job.id, accountId: job.accountId, type: 'PROGRESS', status: 'RUNNING', progress: 0.5, stage: name });
}
