import type { FormattedExecutionResult } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, type TestApp } from './support/app.js';

// Subscriptions over WebSockets do the work of yoga's plugins without envelop's per-subscription
// wrappers (src/http/socket-subscribe.ts): what a client sees must be what the plugins gave it.

/** The first result of a subscription (a refusal is one `next` with errors, then `complete`). */
async function firstResult(client: Client, query: string, variables: Record<string, unknown>): Promise<FormattedExecutionResult<Record<string, unknown>, unknown>> {
  for await (const result of client.iterate({ query, variables })) return result;
  throw new Error('the subscription completed without a result');
}

describe('WebSocket subscriptions without envelop', () => {
  let test: TestApp;
  beforeAll(async () => {
    // Each root field of an operation counts: one submission and one subscription fit, the next does not.
    test = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await test.stop();
  });

  it('answers a subscription over its key budget with RATE_LIMITED, and the socket keeps its other subscription', async () => {
    const { key } = await test.createKey(10);
    const client = test.wsClient(key);
    const job = await generatePlaceholder(test, key, { steps: 2, stepMs: 50 });
    let closed: unknown;
    client.on('closed', (event) => (closed = event));
    const admitted = client.iterate<{ jobUpdated: { type: string } }>({ query: JOB_UPDATED, variables: { id: job.id } });
    // Admitted (its SNAPSHOT came) before the second one asks.
    const types = [(await admitted.next()).value?.data?.jobUpdated.type];
    const refused = await firstResult(client, JOB_UPDATED, { id: job.id });
    expect(refused.data).toBeUndefined();
    // As over HTTP, without the extensions meant for the server (the HTTP status and headers).
    expect(refused.errors?.map((error) => error.extensions)).toEqual([{ code: 'RATE_LIMITED', retryAfter: expect.any(Number) }]);
    // The admitted subscription runs to the end on the same socket.
    for await (const result of admitted) types.push(result.data?.jobUpdated.type);
    expect(types[0]).toBe('SNAPSHOT');
    expect(types.at(-1)).toBe('SUCCEEDED');
    expect(closed).toBeUndefined();
  });

  it('masks an unexpected failure while subscribing: the client never reads the database error, and the socket stays open', async () => {
    // In production, as deployed: development mode shows the original error on purpose.
    const other = await startTestApp({ NODE_ENV: 'production', SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
    try {
      const { key } = await other.createKey(10);
      const client = other.wsClient(key);
      const job = await generatePlaceholder(other, key);
      await collect(client, JOB_UPDATED, { id: job.id }, (item: { jobUpdated: { type: string } }) => item.jobUpdated.type === 'SUCCEEDED');
      const sql = other.app.services.database.sql;
      await sql`alter table job_events rename to job_events_away`;
      let failed: FormattedExecutionResult<Record<string, unknown>, unknown>;
      try {
        failed = await firstResult(client, JOB_UPDATED, { id: job.id, after: null });
      } finally {
        await sql`alter table job_events_away rename to job_events`;
      }
      expect(failed.errors?.map((error) => [error.message, error.extensions])).toEqual([['Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' }]]);
      expect(JSON.stringify(failed)).not.toMatch(/job_events|relation|does not exist/);
      // The same socket serves the next subscription.
      const replay = await collect<{ jobUpdated: { type: string; job: { status: string } } }>(client, JOB_UPDATED, { id: job.id });
      expect(replay.map((item) => [item.jobUpdated.type, item.jobUpdated.job.status])).toEqual([['SNAPSHOT', 'SUCCEEDED']]);
    } finally {
      await other.stop();
    }
  });

  it('refuses a NUL byte in a subscription argument with BAD_USER_INPUT naming it', async () => {
    const { key } = await test.createKey(10);
    const refused = await firstResult(test.wsClient(key), JOB_UPDATED, { id: '00000000-0000-4000-8000-000000000000', after: 'a\u0000b' });
    expect(refused.errors?.map((error) => [(error.extensions as { code?: string }).code, (error.extensions as { field?: string }).field])).toEqual([['BAD_USER_INPUT', 'after']]);
  });
});
