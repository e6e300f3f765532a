import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';

/**
 * Two processes on one database: an API that submits, a worker that runs. The worker's fallback
 * polling is set to ten minutes, so a job runs at once only because the database wakes the worker
 * when the submission commits (the trigger on job_events), not because anyone remembered to.
 */

let api: TestApp;
let worker: TestApp;
beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  api = await startTestApp({ ROLE: 'api' }, { databaseUrl });
  worker = await startTestApp({ ROLE: 'worker', WORKER_POLL_MS: '600000' }, { databaseUrl });
});
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
});

describe('wake-ups across processes', () => {
  it('runs jobs submitted through another process without waiting for the poll interval', async () => {
    const { key } = await api.createKey(100);
    for (let round = 0; round < 3; round++) {
      const job = await generatePlaceholder(api, key, { steps: 2, stepMs: 0 });
      const updates = await collect<any>(api.wsClient(key), JOB_UPDATED, { id: job.id });
      expect(updates.at(-1).jobUpdated).toMatchObject({ type: 'SUCCEEDED', job: { status: 'SUCCEEDED', images: [{ format: 'PNG' }] } });
    }
  });
});
