import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATE, startTestApp, waitFor, type TestApp } from './support/app.js';

/**
 * Jobs of one worker that end together share a statement (src/jobs/finish-batch.ts): what a user
 * sees is unchanged. Every job ends SUCCEEDED with its image, is charged exactly its price once,
 * the ledger matches the balance, and `/metrics` counts the completions and their statements.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ WORKER_CONCURRENCY: '8', MAX_RUNNING_JOBS_PER_ACCOUNT: '8' });
});
afterAll(() => app?.stop());

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
}

describe('jobs ending together', () => {
  it('are each completed and billed once, and counted on /metrics', async () => {
    const accounts = await Promise.all(Array.from({ length: 4 }, () => app.createKey(1_000)));
    const submit = (key: string, index: number) => app.graphql(GENERATE, { input: { model: { placeholder: { prompt: `picture ${index}`, resolution: 'RES_512', steps: 1, stepMs: 0 } } } }, key);
    const answers = await Promise.all(accounts.flatMap((account, at) => Array.from({ length: 10 }, (_, index) => submit(account.key, 100 * at + index))));
    const ids = answers.map(({ body }) => body.data.generateImage.job.id as string);
    expect(new Set(ids).size).toBe(40);

    const { sql } = app.app.services.database;
    await waitFor(async () => (await sql`select 1 from jobs where id = any(${ids}::uuid[]) and status = 'SUCCEEDED'`).length === 40, 'every job to succeed');
    const jobs = await sql<{ creditsCharged: number; creditsHeld: number; images: number; succeeded: number }[]>`
      select credits_charged::int, credits_held::int,
             (select count(*)::int from images where job_id = jobs.id and kind = 'output') as images,
             (select count(*)::int from job_events where job_id = jobs.id and type = 'SUCCEEDED') as succeeded
      from jobs where id = any(${ids}::uuid[])`;
    // The placeholder costs one credit per image.
    expect(jobs.every((job) => job.creditsCharged === 1 && job.creditsHeld === 0 && job.images === 1 && job.succeeded === 1)).toBe(true);
    for (const account of accounts) {
      const [row] = await sql<{ balance: number; ledger: number }[]>`
        select a.balance::int as balance, (select coalesce(sum(amount), 0)::int from credit_entries where account_id = a.id) as ledger
        from accounts a where a.id = ${account.accountId}`;
      expect(row).toEqual({ balance: 990, ledger: 990 });
    }

    const completions = await metric('pictor_job_completions_written_total');
    const statements = await metric('pictor_job_completion_statements_total');
    expect(completions).toBe(40);
    expect(statements).toBeLessThanOrEqual(completions);
  });
});
