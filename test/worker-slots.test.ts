import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATE, startTestApp, waitFor, type TestApp } from './support/app.js';

/**
 * A job whose outputs are stored and whose completion is being written gives its slot back
 * (src/jobs/worker.ts): the next job starts during that write instead of after it. At most
 * `WORKER_CONCURRENCY` more jobs can be finishing that way, and every job still ends once, billed
 * once.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ WORKER_CONCURRENCY: '1', MAX_RUNNING_JOBS_PER_ACCOUNT: '5' });
});
afterAll(() => app?.stop());

async function storedOutputs(): Promise<number> {
  const files = await fs.readdir(path.join(app.dataDir, 'blobs', 'images'), { recursive: true }).catch(() => [] as string[]);
  return files.filter((file) => /\.(png|webp|jpeg)$/.test(file)).length;
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
}

describe('a worker slot', () => {
  it('is free again while a job’s completion is written, up to twice the concurrency in all', async () => {
    const { sql } = app.app.services.database;
    const worker = app.app.worker!;
    const { key, accountId } = await app.createKey(100);
    // Completions insert the upstream calls they made: holding that table holds every completion.
    const holder = await sql.reserve();
    await holder`begin`;
    await holder`lock table provider_calls in exclusive mode`;
    try {
      const ids: string[] = [];
      for (let index = 0; index < 3; index++) {
        const { body } = await app.graphql(GENERATE, { input: { model: { placeholder: { prompt: `slot ${index}`, resolution: 'RES_512', steps: 1, stepMs: 0 } } } }, key);
        ids.push(body.data.generateImage.job.id as string);
      }
      // With one slot, the second job ran and stored its picture while the first one's completion waited.
      await waitFor(async () => (await storedOutputs()) === 2 && worker.finishingCount === 2, 'two jobs finishing at once with one slot');
      const passes = worker.stats.claimPasses;
      worker.notify();
      await waitFor(() => worker.stats.claimPasses > passes, 'a claim pass with two jobs finishing');
      const statuses = await sql<{ id: string; status: string }[]>`select id, status from jobs where id = any(${ids}::uuid[])`;
      expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({ [ids[0]!]: 'RUNNING', [ids[1]!]: 'RUNNING', [ids[2]!]: 'QUEUED' });
      expect(await metric('pictor_worker_finishing_jobs')).toBe(2);
    } finally {
      await holder`commit`;
      holder.release();
    }

    const ids = (await sql<{ id: string }[]>`select id from jobs where account_id = ${accountId}`).map((row) => row.id);
    await waitFor(async () => (await sql`select 1 from jobs where id = any(${ids}::uuid[]) and status = 'SUCCEEDED'`).length === 3, 'the three jobs to succeed');
    const [row] = await sql<{ balance: number; ledger: number; charged: number; events: number }[]>`
      select a.balance::int as balance,
             (select coalesce(sum(amount), 0)::int from credit_entries where account_id = a.id) as ledger,
             (select sum(credits_charged)::int from jobs where account_id = a.id) as charged,
             (select count(*)::int from job_events where account_id = a.id and type = 'SUCCEEDED') as events
      from accounts a where a.id = ${accountId}`;
    expect(row).toEqual({ balance: 97, ledger: 97, charged: 3, events: 3 });
    expect(await storedOutputs()).toBe(3);
    expect(worker.finishingCount).toBe(0);
  });
});
