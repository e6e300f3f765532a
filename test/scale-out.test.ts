import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from './support/app.js';
import { connectTestDatabase, createTestDatabase } from './support/database.js';

/**
 * Scaled out on one database: two API processes and two worker processes (each its own pools,
 * listeners and pollers). A client subscribed on the first API receives every event of jobs
 * submitted through either API (GraphQL and REST) and run by either worker: exactly once, in
 * order per job, and nothing more than what was committed.
 */

let databaseUrl: string;
const apps: TestApp[] = [];
beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  for (const role of ['api', 'api', 'worker', 'worker']) apps.push(await startTestApp({ ROLE: role, WORKER_CONCURRENCY: '3' }, { databaseUrl }));
});
afterAll(async () => {
  for (const app of apps.reverse()) await app.stop();
});

async function submitRest(api: TestApp, key: string): Promise<string> {
  const response = await fetch(`${api.url}/v2/images/generate`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'placeholder', prompt: 'scaled out', placeholderParams: { steps: 3, stepMs: 0 } }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { jobId: string }).jobId;
}

describe('two API and two worker processes on one database', () => {
  it('deliver every committed event of every job to a subscriber on one API, once and in order, wherever the job was submitted and run', async () => {
    const [first, second] = apps as [TestApp, TestApp];
    const { key, accountId } = await first.createKey(10_000);
    const seen: { cursor: string; type: string; jobId: string }[] = [];
    const client = first.wsClient(key);
    const stream = client.iterate<any>({ query: 'subscription { jobsUpdated { cursor type job { id } } }' });
    const reading = (async () => {
      for await (const result of stream) {
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        seen.push({ ...result.data.jobsUpdated, jobId: result.data.jobsUpdated.job.id });
      }
    })();
    await waitFor(() => first.app.services.hub.subscriberCount === 1, 'the subscription');

    const submissions: Promise<string>[] = [];
    for (let index = 0; index < 24; index++) {
      const api = index % 2 === 0 ? first : second;
      submissions.push(index % 3 === 0 ? submitRest(api, key) : generatePlaceholder(api, key, { steps: 3, stepMs: 0 }).then((job) => job.id));
    }
    const jobIds = await Promise.all(submissions);
    await waitFor(() => jobIds.every((id) => seen.some((update) => update.jobId === id && update.type === 'SUCCEEDED')), 'every job to succeed on the stream', 60_000);

    const database = connectTestDatabase(databaseUrl, { max: 1 });
    const { sql } = database;
    try {
      const committed = await sql<{ jobId: string; type: string }[]>`select job_id, type from job_events where account_id = ${accountId} order by xid, id`;
      // Wait for every committed event: the SUCCEEDED ones arrive last per job, but not last overall.
      await waitFor(() => seen.length >= committed.length, 'every committed event');
      expect(seen).toHaveLength(committed.length);
      expect(new Set(seen.map((update) => update.cursor)).size).toBe(seen.length);
      for (const id of jobIds) {
        const mine = seen.filter((update) => update.jobId === id).map((update) => update.type);
        expect(mine).toEqual(committed.filter((event) => event.jobId === id).map((event) => event.type));
        expect(mine[0]).toBe('QUEUED');
        expect(mine.at(-1)).toBe('SUCCEEDED');
      }
      const ranBy = await sql<{ count: number }[]>`select count(*)::int as count from jobs where account_id = ${accountId} and status = 'SUCCEEDED'`;
      expect(ranBy[0]!.count).toBe(jobIds.length);
    } finally {
      await database.close();
      await stream.return?.();
      await reading.catch(() => undefined);
      await client.dispose();
    }
  });
});
