import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccountWithKey } from '../src/accounts/api-keys.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from './support/app.js';
import { startDedicatedPostgres } from './support/dedicated-postgres.js';

const status = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    (response) => response.status,
    () => 0,
  );

describe('the embedded database is killed (SIGKILL)', () => {
  it('is restarted; the server becomes ready again and open subscriptions see every event once', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-kill-'));
    // Like `npm start` with no DATABASE_URL: the server runs its own PostgreSQL under DATA_DIR.
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', REALTIME_POLL_MS: '10', WORKER_POLL_MS: '100', PROGRESS_INTERVAL_MS: '0' });
    const app = await buildApp(config);
    await app.start();
    const client = createClient({ url: `${app.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: {} });
    try {
      const { key } = await createAccountWithKey(app.services.database.sql, { name: 'kill', credits: 100 });
      client.dispose();
      const ws = createClient({ url: `${app.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { authorization: `Bearer ${key}` } });
      const seen: { cursor: string; type: string; jobId: string }[] = [];
      const iterator = ws.iterate<any>({ query: 'subscription { jobsUpdated { cursor type job { id } } }' });
      const reading = (async () => {
        for await (const result of iterator) seen.push({ ...result.data.jobsUpdated, jobId: result.data.jobsUpdated.job.id });
      })();
      await waitFor(() => app.services.hub.subscriberCount === 1, 'the subscription');
      const harness = {
        url: app.url,
        graphql: async (query: string, variables: Record<string, unknown>, bearer: string) => {
          const response = await fetch(`${app.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
            body: JSON.stringify({ query, variables }),
          });
          return { status: response.status, body: (await response.json()) as any };
        },
      } as unknown as TestApp;
      const before = await generatePlaceholder(harness, key, { steps: 2, stepMs: 0 });
      await waitFor(() => seen.some((update) => update.jobId === before.id && update.type === 'SUCCEEDED'), 'the first job');

      const pid = Number.parseInt((await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);
      process.kill(pid, 'SIGKILL');
      await waitFor(async () => (await status(`${app.url}/readyz`)) === 503, 'not ready while the database is away');
      await waitFor(async () => (await status(`${app.url}/readyz`)) === 200, 'ready again', 30_000);
      expect(await status(`${app.url}/healthz`)).toBe(200);

      const after = await waitFor(() => generatePlaceholder(harness, key, { steps: 2, stepMs: 0 }).catch(() => undefined), 'a job accepted after the restart');
      await waitFor(() => seen.some((update) => update.jobId === after.id && update.type === 'SUCCEEDED'), 'the second job over the same subscription', 30_000);
      const cursors = seen.map((update) => update.cursor);
      expect(new Set(cursors).size).toBe(cursors.length);
      for (const job of [before, after]) {
        const types = seen.filter((update) => update.jobId === job.id).map((update) => update.type);
        expect(types[0]).toBe('QUEUED');
        expect(types.at(-1)).toBe('SUCCEEDED');
      }
      await iterator.return?.();
      await reading.catch(() => undefined);
      await ws.dispose();
    } finally {
      await app.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('an external database (DATABASE_URL) goes away', () => {
  it('reports not ready at once and unhealthy after DATABASE_UNHEALTHY_AFTER_MS, then recovers by itself', async () => {
    const postgres = await startDedicatedPostgres();
    let test: TestApp | undefined;
    try {
      test = await startTestApp({ DATABASE_UNHEALTHY_AFTER_MS: '1500' }, { databaseUrl: postgres.url });
      expect(await status(`${test.url}/readyz`)).toBe(200);
      await postgres.server.stop();
      await waitFor(async () => (await status(`${test!.url}/readyz`)) === 503, 'not ready');
      await waitFor(async () => (await status(`${test!.url}/healthz`)) === 503, 'unhealthy after the grace period');
      await postgres.restart();
      await waitFor(async () => (await status(`${test!.url}/readyz`)) === 200, 'ready after reconnecting', 30_000);
      expect(await status(`${test.url}/healthz`)).toBe(200);
    } finally {
      await test?.stop();
      await postgres.stop();
    }
  });
});
