import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, GENERATE, generatePlaceholder, JOB_UPDATED, startTestApp, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});

describe('fair claims across accounts', () => {
  let api: TestApp;
  afterAll(() => api?.stop());

  it("runs another account's single job within one claim cycle despite 10,000 queued jobs", async () => {
    api = await startTestApp({ ROLE: 'api' }, { databaseUrl });
    const busy = await api.createKey(100_000);
    const patient = await api.createKey(10);
    // The busy account floods the queue (inserted in bulk: the point is the queue, not the API).
    const template = await generatePlaceholder(api, busy.key, { steps: 1, stepMs: 50 });
    await api.app.services.database.sql`
      insert into jobs (account_id, model_id, params, n, seed, max_attempts, timeout_ms, credits_held)
      select account_id, model_id, params, n, seed, max_attempts, timeout_ms, 0 from jobs, generate_series(1, 10000)
      where id = ${template.id}`;
    const single = await generatePlaceholder(api, patient.key, { steps: 1, stepMs: 0 });

    const worker = await startTestApp({ ROLE: 'worker', WORKER_CONCURRENCY: '2' }, { databaseUrl });
    try {
      const updates = await collect<any>(api.wsClient(patient.key), JOB_UPDATED, { id: single.id });
      // It may already be done when the subscription opens (then the stream is its snapshot).
      expect(updates.at(-1).jobUpdated.job.status).toBe('SUCCEEDED');
      // By the time the single job finished, the busy account had only had its first claim's share.
      const [{ started }] = await api.app.services.database.sql<{ started: number }[]>`
        select count(*)::int as started from jobs where account_id = ${busy.accountId} and started_at is not null`;
      expect(started).toBeLessThanOrEqual(4);
    } finally {
      await worker.stop();
    }
  });

  it("never runs more of an account's jobs at once than its limit", async () => {
    // Clear the previous test's backlog so this one measures only its own account.
    await api.app.services.database.sql`update jobs set status = 'CANCELED', finished_at = now() where status = 'QUEUED'`;
    const limited = await api.createKey(100);
    await api.app.services.database.sql`update accounts set max_running_jobs = 1 where id = ${limited.accountId}`;
    const jobs = await Promise.all(Array.from({ length: 4 }, () => generatePlaceholder(api, limited.key, { steps: 3, stepMs: 30 })));
    const worker = await startTestApp({ ROLE: 'worker', WORKER_CONCURRENCY: '4' }, { databaseUrl });
    try {
      const updates = await collect<any>(
        api.wsClient(limited.key),
        'subscription { jobsUpdated(after: null) { type job { id } } }',
        {},
        (() => {
          let finished = 0;
          return (item: any) => item.jobsUpdated.type === 'SUCCEEDED' && ++finished === jobs.length;
        })(),
      );
      // Runs never overlap: every STARTED comes after the previous job's SUCCEEDED.
      let running = 0;
      for (const update of updates) {
        if (update.jobsUpdated.type === 'STARTED') running++;
        if (update.jobsUpdated.type === 'SUCCEEDED') running--;
        expect(running).toBeLessThanOrEqual(1);
      }
    } finally {
      await worker.stop();
    }
  });
});

describe('credits under concurrency', () => {
  it('keeps the balance exact with many parallel submissions, never below zero', async () => {
    const api = await startTestApp({ ROLE: 'api' }, { databaseUrl });
    try {
      const { key, accountId } = await api.createKey(25);
      const results = await Promise.all(Array.from({ length: 40 }, () => api.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'parallel' } } } }, key)));
      const kinds = results.map((result) => result.body.data.generateImage.__typename);
      expect(kinds.filter((kind) => kind === 'GenerateImageSuccess')).toHaveLength(25);
      expect(kinds.filter((kind) => kind === 'InsufficientCreditsError')).toHaveLength(15);
      const [account] = await api.app.services.database.sql<{ balance: number }[]>`select balance from accounts where id = ${accountId}`;
      expect(account!.balance).toBe(0);
      const [ledger] = await api.app.services.database.sql<{ total: number }[]>`
        select sum(amount)::int as total from credit_entries where account_id = ${accountId} and kind <> 'capture'`;
      expect(ledger!.total).toBe(0);
    } finally {
      await api.stop();
    }
  });
});
