import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';

const apps: TestApp[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(apps.splice(0).map((test) => test.stop()));
});

/** A real worker process (`src/main.ts` with ROLE=worker), as an operator would run it. */
function spawnWorker(databaseUrl: string, dataDir: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ROLE: 'worker', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'error', PROGRESS_INTERVAL_MS: '0', ...env },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});

const jobOf = async (test: TestApp, key: string, id: string) => (await test.graphql('query($id: ID!) { job(id: $id) { status attempts error { code } images { id } } }', { id }, key)).body.data.job;

describe('a worker killed mid-job', () => {
  it('leaves no job stuck in RUNNING: the job runs again elsewhere', async () => {
    const api = await startTestApp({ ROLE: 'api' }, { databaseUrl });
    apps.push(api);
    const { key } = await api.createKey(10);
    const victim = spawnWorker(databaseUrl, api.dataDir, { JOB_LEASE_MS: '1000' });
    const job = await generatePlaceholder(api, key, { steps: 100, stepMs: 200 });
    await waitFor(async () => (await jobOf(api, key, job.id)).status === 'RUNNING', 'the child worker to claim the job');
    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));

    // Make the rerun short, then let a healthy worker sweep the expired lease and finish it.
    await api.app.services.database.sql`update jobs set params = params || '{"steps": 2, "stepMs": 0}'::jsonb where id = ${job.id}`;
    const worker = await startTestApp({ ROLE: 'worker', JOB_LEASE_MS: '1000' }, { databaseUrl });
    apps.push(worker);
    const updates = await collect<any>(api.wsClient(key), JOB_UPDATED, { id: job.id });
    const types = updates.map((update) => update.jobUpdated.type);
    expect(types).toContain('RETRYING');
    expect(types.at(-1)).toBe('SUCCEEDED');
    const done = await jobOf(api, key, job.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
    expect(done.images).toHaveLength(1);
    expect((await api.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance).toBe(9);
  });

  it('fails the job with WORKER_LOST and releases credits when no attempts remain', async () => {
    const api = await startTestApp({ ROLE: 'api', JOB_MAX_ATTEMPTS: '1' }, { databaseUrl });
    apps.push(api);
    const { key } = await api.createKey(10);
    const victim = spawnWorker(databaseUrl, api.dataDir, { JOB_LEASE_MS: '1000' });
    const job = await generatePlaceholder(api, key, { steps: 100, stepMs: 200 });
    await waitFor(async () => (await jobOf(api, key, job.id)).status === 'RUNNING', 'the child worker to claim the job');
    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));
    const worker = await startTestApp({ ROLE: 'worker', JOB_LEASE_MS: '1000' }, { databaseUrl });
    apps.push(worker);
    const updates = await collect<any>(api.wsClient(key), JOB_UPDATED, { id: job.id });
    expect(updates.at(-1).jobUpdated.type).toBe('FAILED');
    expect(await jobOf(api, key, job.id)).toMatchObject({ status: 'FAILED', attempts: 1, error: { code: 'WORKER_LOST' } });
    expect((await api.graphql('{ viewer { balance } }', {}, key)).body.data.viewer.balance).toBe(10);
  });
});
