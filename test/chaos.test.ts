import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAccountWithKey, type CreatedKey } from '../src/accounts/api-keys.js';
import { connect, type Database } from '../src/db/client.js';
import { freePortForTest, waitFor } from './support/app.js';
import { encodeCursor } from '../src/realtime/cursor.js';
import { startDedicatedPostgres, type DedicatedPostgres } from './support/dedicated-postgres.js';

// Three workers, one API process, 200 subscriptions, 500 jobs; mid-run a worker is killed with
// SIGKILL and PostgreSQL restarts. Every subscription must see every event of its jobs exactly
// once, in log order, and every job must end.

const ACCOUNTS = 20;
const SUBSCRIPTIONS_PER_ACCOUNT = 10;
const JOBS_PER_ACCOUNT = 25;
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

const children: ChildProcess[] = [];
let postgres: DedicatedPostgres | undefined;
let database: Database | undefined;
const clients: Client[] = [];
let dataDir: string | undefined;

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.close();
  await postgres?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

function startPictor(role: 'api' | 'worker', env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      ...env,
      ROLE: role,
      LOG_LEVEL: 'error',
      WORKER_POLL_MS: '100',
      REALTIME_POLL_MS: '20',
      PROGRESS_INTERVAL_MS: '0',
      JOB_LEASE_MS: '1500',
      RATE_LIMIT_PER_MINUTE: '1000000',
      MAX_RUNNING_JOBS_PER_ACCOUNT: '50',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function submit(url: string, key: CreatedKey, index: number): Promise<string> {
  return waitFor(
    async () => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
        body: JSON.stringify({
          query: 'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }',
          // The idempotency key makes a retry after a lost answer (database restarting) the same job.
          variables: { input: { model: { placeholder: { prompt: `chaos ${index}`, resolution: 'RES_512', steps: 3, stepMs: 30 } }, idempotencyKey: `chaos-${key.accountId}-${index}` } },
        }),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => undefined);
      const body = (await response?.json().catch(() => undefined)) as any;
      return body?.data?.generateImage?.job?.id as string | undefined;
    },
    `job ${index} accepted`,
    60_000,
  );
}

describe('chaos', () => {
  it('delivers every event of every job once, in order, through a worker crash and a database restart', { timeout: 240_000 }, async () => {
    postgres = await startDedicatedPostgres();
    database = connect(postgres.url, { max: 4 });
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-chaos-'));
    const keys: CreatedKey[] = [];
    for (let index = 0; index < ACCOUNTS; index++) keys.push(await createAccountWithKey(database.sql, { name: `chaos-${index}`, credits: 1_000 }));
    const port = await freePortForTest();
    const env = { DATABASE_URL: postgres.url, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', CREATE_DEV_ACCOUNT: 'false' };
    const url = `http://127.0.0.1:${port}`;
    startPictor('api', env);
    const workers = [startPictor('worker', env), startPictor('worker', env), startPictor('worker', env)];
    await waitFor(
      () =>
        fetch(`${url}/readyz`).then(
          (response) => response.ok,
          () => false,
        ),
      'the API process',
      60_000,
    );

    // 200 subscriptions: ten per account, over one socket per account.
    const received = new Map<string, { cursor: string; type: string; jobId: string }[]>();
    const subscriptionsByAccount = new Map<string, string[]>();
    for (const key of keys) {
      const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${key.key}` } });
      clients.push(client);
      const names: string[] = [];
      for (let index = 0; index < SUBSCRIPTIONS_PER_ACCOUNT; index++) {
        const name = `${key.accountId}/${index}`;
        names.push(name);
        const updates: { cursor: string; type: string; jobId: string }[] = [];
        received.set(name, updates);
        client.subscribe<any>(
          { query: 'subscription { jobsUpdated { cursor type job { id } } }' },
          {
            next: (result) => updates.push({ cursor: result.data.jobsUpdated.cursor, type: result.data.jobsUpdated.type, jobId: result.data.jobsUpdated.job.id }),
            error: () => undefined,
            complete: () => undefined,
          },
        );
      }
      subscriptionsByAccount.set(key.accountId, names);
    }
    const subscribers = async () => Number(/pictor_realtime_subscribers (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
    await waitFor(async () => (await subscribers()) === ACCOUNTS * SUBSCRIPTIONS_PER_ACCOUNT, '200 subscriptions');

    const jobsByAccount = new Map<string, string[]>();
    const submitting = Promise.all(
      keys.map(async (key) => {
        const ids: string[] = [];
        for (let index = 0; index < JOBS_PER_ACCOUNT; index++) ids.push(await submit(url, key, index));
        jobsByAccount.set(key.accountId, ids);
      }),
    );
    const terminalCount = async () => {
      const [row] = await database!.sql<{ count: number }[]>`select count(*)::int as count from jobs where status in ('SUCCEEDED', 'FAILED', 'CANCELED')`;
      return row!.count;
    };
    await waitFor(async () => (await terminalCount()) >= 100, 'a fifth of the jobs done', 60_000);
    workers[0]!.kill('SIGKILL');
    await waitFor(async () => (await terminalCount()) >= 200, 'more jobs done after the worker crash', 60_000);
    await postgres.restart();
    await submitting;
    await waitFor(async () => (await terminalCount().catch(() => 0)) === ACCOUNTS * JOBS_PER_ACCOUNT, 'every job ended', 90_000);

    const events = await database.sql<{ jobId: string; xid: string; id: number; type: string }[]>`
      select e.job_id, e.xid::text as xid, e.id, e.type from job_events e order by e.xid, e.id`;
    const expectedByJob = new Map<string, string[]>();
    for (const event of events) {
      const list = expectedByJob.get(event.jobId) ?? [];
      list.push(encodeCursor({ xid: BigInt(event.xid), id: event.id }));
      expectedByJob.set(event.jobId, list);
    }
    await waitFor(() => [...received.values()].every((updates) => updates.filter((update) => TERMINAL.has(update.type)).length >= JOBS_PER_ACCOUNT), 'every subscription to see every job end', 60_000);
    const problems: string[] = [];
    for (const [accountId, names] of subscriptionsByAccount) {
      for (const name of names) {
        const updates = received.get(name)!;
        for (const jobId of jobsByAccount.get(accountId)!) {
          const got = updates.filter((update) => update.jobId === jobId).map((update) => update.cursor);
          if (JSON.stringify(got) !== JSON.stringify(expectedByJob.get(jobId))) problems.push(`${name} job ${jobId}: got ${got.length}, expected ${expectedByJob.get(jobId)?.length}`);
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    const [statuses] = await database.sql<{ open: number }[]>`select count(*)::int as open from jobs where status not in ('SUCCEEDED', 'FAILED', 'CANCELED')`;
    expect(statuses!.open).toBe(0);

    // Outputs are written in place (their keys are fresh): every image a committed row names,
    // including those of the worker killed mid-write, is the whole picture the row describes.
    const images = await database.sql<{ storageKey: string; bytes: number; sha256: string }[]>`select storage_key, bytes, sha256 from images`;
    expect(images.length).toBeGreaterThan(0);
    const broken: string[] = [];
    for (const image of images) {
      const stored = await fs.readFile(path.join(dataDir, 'blobs', image.storageKey)).catch(() => undefined);
      if (!stored || stored.byteLength !== image.bytes || createHash('sha256').update(stored).digest('hex') !== image.sha256) broken.push(image.storageKey);
    }
    expect(broken).toEqual([]);
  });
});
