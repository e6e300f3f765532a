import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';

let databaseUrl: string;
const apps: TestApp[] = [];

async function start(env: Record<string, string>): Promise<TestApp> {
  const test = await startTestApp(env, { databaseUrl });
  apps.push(test);
  return test;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((test) => test.stop()));
});

const balanceOf = async (test: TestApp, key: string) => (await test.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance as number;
const jobOf = async (test: TestApp, key: string, id: string) =>
  (await test.graphql('query($id: ID!) { job(id: $id) { status attempts progress queuePosition error { code message } } }', { id }, key)).body.data.job;

describe('cancel', () => {
  it('cancels a queued job at once and releases its credits', async () => {
    const api = await start({ ROLE: 'api' });
    const { key } = await api.createKey(10);
    const job = await generatePlaceholder(api, key, {}, { n: 3 });
    expect(await balanceOf(api, key)).toBe(7);
    expect((await jobOf(api, key, job.id)).queuePosition).toBe(1);

    const { body } = await api.graphql('mutation($id: ID!) { cancelJob(id: $id) { status } }', { id: job.id }, key);
    expect(body.data.cancelJob.status).toBe('CANCELED');
    expect(await balanceOf(api, key)).toBe(10);
    // A subscriber arriving later gets the final state and the stream ends.
    const updates = await collect<any>(api.wsClient(key), JOB_UPDATED, { id: job.id });
    expect(updates.map((update) => [update.jobUpdated.type, update.jobUpdated.job.status])).toEqual([['SNAPSHOT', 'CANCELED']]);
  });

  it('aborts a running job, which ends CANCELED with its credits released', async () => {
    const test = await start({});
    const { key } = await test.createKey(10);
    const job = await generatePlaceholder(test, key, { steps: 100, stepMs: 100 });
    const client = test.wsClient(key);
    const seen = collect<any>(client, JOB_UPDATED, { id: job.id });
    await waitFor(async () => (await jobOf(test, key, job.id)).status === 'RUNNING', 'job to start');
    await test.graphql('mutation($id: ID!) { cancelJob(id: $id) { id } }', { id: job.id }, key);
    const updates = await seen;
    expect(updates.at(-1).jobUpdated.type).toBe('CANCELED');
    expect(updates.at(-1).jobUpdated.job.status).toBe('CANCELED');
    expect((await jobOf(test, key, job.id)).progress).toBeLessThan(1);
    expect(await balanceOf(test, key)).toBe(10);
  });
});

describe('timeouts', () => {
  it('fails a job that runs longer than its model allows', async () => {
    const api = await start({ ROLE: 'api' });
    const { key } = await api.createKey(10);
    const job = await generatePlaceholder(api, key, { steps: 100, stepMs: 100 });
    await api.app.services.database.sql`update jobs set timeout_ms = 300 where id = ${job.id}`;
    await start({ ROLE: 'worker' });
    const updates = await collect<any>(api.wsClient(key), JOB_UPDATED, { id: job.id });
    expect(updates.at(-1).jobUpdated.type).toBe('FAILED');
    const failed = await jobOf(api, key, job.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error.code).toBe('JOB_TIMEOUT');
    expect(failed.attempts).toBe(1);
    expect(await balanceOf(api, key)).toBe(10);
  });
});

describe('graceful shutdown', () => {
  it('lets running jobs finish within the grace period', async () => {
    const api = await start({ ROLE: 'api' });
    const worker = await start({ ROLE: 'worker', SHUTDOWN_GRACE_MS: '20000' });
    const { key } = await api.createKey(10);
    const job = await generatePlaceholder(api, key, { steps: 5, stepMs: 60 });
    await waitFor(async () => (await jobOf(api, key, job.id)).status === 'RUNNING', 'job to start');
    await worker.stop();
    apps.splice(apps.indexOf(worker), 1);
    expect((await jobOf(api, key, job.id)).status).toBe('SUCCEEDED');
  });

  it('hands unfinished jobs back to the queue when the grace period ends', async () => {
    const api = await start({ ROLE: 'api' });
    const worker = await start({ ROLE: 'worker', SHUTDOWN_GRACE_MS: '100' });
    const { key } = await api.createKey(10);
    const job = await generatePlaceholder(api, key, { steps: 100, stepMs: 100 });
    await waitFor(async () => (await jobOf(api, key, job.id)).status === 'RUNNING', 'job to start');
    await worker.stop();
    apps.splice(apps.indexOf(worker), 1);
    const released = await jobOf(api, key, job.id);
    expect(released).toMatchObject({ status: 'QUEUED', attempts: 0, progress: 0 });
    // Still held: the job will run again, so its credits stay reserved.
    expect(await balanceOf(api, key)).toBe(9);
  });
});
