import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKIP_COALESCE_MS } from '../src/webhooks/dispatcher.js';
import { GENERATE, startTestApp, waitFor, type TestApp } from './support/app.js';

/**
 * The webhook dispatcher moves its cursor past events no webhook wants in one statement per
 * pass. Under a stream of such events, a wake-up after such a pass waits `SKIP_COALESCE_MS`:
 * one pass per burst instead of one per wake-up (src/webhooks/dispatcher.ts). The bound below
 * only grows with the time the stream took, so a slow machine cannot break it.
 */

const POLL_MS = 1000;
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ WEBHOOK_POLL_MS: String(POLL_MS) });
});
afterAll(() => app?.stop());

async function logPasses(): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return Number(/^pictor_webhook_log_passes_total (\d+)$/m.exec(text)?.[1]);
}

describe('webhook log passes', () => {
  it('come one per burst of events no webhook wants, not one per wake-up', async () => {
    const { sql } = app.app.services.database;
    const { key, accountId } = await app.createKey(10);
    const { body } = await app.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'log passes', resolution: 'RES_512', steps: 1, stepMs: 0 } } } }, key);
    const jobId = body.data.generateImage.job.id as string;
    await waitFor(async () => (await sql`select 1 from jobs where id = ${jobId} and status = 'SUCCEEDED'`).length === 1, 'the job to succeed');

    // A stream of events, each written by its own statement and announced by its own NOTIFY, as
    // workers in other processes write them: 300 wake-ups for the dispatcher.
    const before = await logPasses();
    const started = performance.now();
    for (let step = 1; step <= 300; step++) {
      await sql`insert into job_events (job_id, account_id, type, status, progress) values (${jobId}, ${accountId}, 'PROGRESS', 'RUNNING', ${step / 300})`;
    }
    await waitFor(
      async () =>
        (
          await sql`select 1 from webhook_cursors c where c.name = 'deliveries' and (c.xid, c.event_id) >= (select e.xid, e.id from job_events e where e.job_id = ${jobId} order by e.xid desc, e.id desc limit 1)`
        ).length === 1,
      'the cursor past every event',
    );
    const elapsed = performance.now() - started;
    const passes = (await logPasses()) - before;
    // At most one pass per window, plus the idle polls and the first pass of the stream.
    expect(passes).toBeLessThanOrEqual(Math.ceil(elapsed / SKIP_COALESCE_MS) + Math.ceil(elapsed / POLL_MS) + 2);
    expect(passes).toBeLessThan(300 / 3);
  });
});
