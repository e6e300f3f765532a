import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, type TestApp } from './support/app.js';

const execFileAsync = promisify(execFile);

let test: TestApp;
let alice: string;
let bob: string;

beforeAll(async () => {
  test = await startTestApp();
  alice = (await test.createKey()).key;
  bob = (await test.createKey()).key;
});
afterAll(() => test?.stop());

describe('API keys', () => {
  it('answers UNAUTHENTICATED with HTTP 401 without a key or with a wrong one', async () => {
    for (const key of [undefined, 'pk_not-a-real-key']) {
      const { status, body } = await test.graphql('{ viewer { accountId } }', {}, key);
      expect(status).toBe(401);
      expect(body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('lets anyone introspect the schema so GraphiQL can show the docs', async () => {
    const { status, body } = await test.graphql('{ __schema { queryType { name } } }');
    expect(status).toBe(200);
    expect(body.data.__schema.queryType.name).toBe('Query');
  });

  it('refuses WebSocket connections without a valid key, with a close code clients do not retry', async () => {
    const client = test.wsClient('pk_wrong');
    await expect(collect(client, '{ __typename }', {})).rejects.toMatchObject({ code: 4401 });
  });

  it('creates keys from the CLI as JSON', async () => {
    const { stdout } = await execFileAsync('npx', ['tsx', 'src/cli/main.ts', 'keys', 'create', '--credits', '7', '--json'], {
      env: { ...process.env, DATABASE_URL: test.databaseUrl },
    });
    const created = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(created).sort()).toEqual(['accountId', 'key', 'keyId']);
    const { body } = await test.graphql('{ viewer { accountId balance } }', {}, created.key);
    expect(body.data.viewer).toEqual({ accountId: created.accountId, balance: 7 });
  });
});

describe('isolation between accounts', () => {
  it("treats another account's job exactly like an unknown id", async () => {
    const job = await generatePlaceholder(test, alice);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const id of [job.id, unknown]) {
      expect((await test.graphql('query($id: ID!) { job(id: $id) { id } }', { id }, bob)).body.data.job).toBeNull();
      expect((await test.graphql('mutation($id: ID!) { cancelJob(id: $id) { id } }', { id }, bob)).body.data.cancelJob).toBeNull();
      await expect(collect(test.wsClient(bob), JOB_UPDATED, { id })).rejects.toThrow(/not found/);
    }
    expect((await test.graphql('{ jobs { nodes { id } } }', {}, bob)).body.data.jobs.nodes).toEqual([]);
    expect((await test.graphql('query($id: ID!) { job(id: $id) { id } }', { id: job.id }, alice)).body.data.job.id).toBe(job.id);
  });

  it("never delivers another account's events on jobsUpdated", async () => {
    const first = await generatePlaceholder(test, bob);
    const firstUpdates = await collect<any>(test.wsClient(bob), JOB_UPDATED, { id: first.id });
    const after = firstUpdates.at(-1).jobUpdated.cursor;
    const aliceJob = await generatePlaceholder(test, alice);
    const bobJob = await generatePlaceholder(test, bob);
    await collect(test.wsClient(alice), JOB_UPDATED, { id: aliceJob.id });
    // Replayed from the log after Bob's cursor, then live until his second job finishes.
    const updates = await collect<any>(
      test.wsClient(bob),
      'subscription($after: String) { jobsUpdated(after: $after) { type job { id } } }',
      { after },
      (item) => item.jobsUpdated.type === 'SUCCEEDED' && item.jobsUpdated.job.id === bobJob.id,
    );
    const types = updates.map((update) => update.jobsUpdated.type);
    expect(types.slice(0, 2)).toEqual(['QUEUED', 'STARTED']);
    expect(types.at(-1)).toBe('SUCCEEDED');
    expect(new Set(types.slice(2, -1))).toEqual(new Set(['PROGRESS']));
    expect(updates.every((update) => update.jobsUpdated.job.id === bobJob.id)).toBe(true);
  });
});

describe('development key', () => {
  it('is created on first start, saved under DATA_DIR and prefilled in GraphiQL for local browsers', async () => {
    const dev = await startTestApp({ CREATE_DEV_ACCOUNT: 'true' });
    try {
      const fs = await import('node:fs/promises');
      const saved = (await fs.readFile(`${dev.dataDir}/dev-api-key`, 'utf8')).trim();
      expect(saved).toBe(dev.app.devApiKey);
      const { body } = await dev.graphql('{ viewer { balance } }', {}, saved);
      expect(body.data.viewer.balance).toBeGreaterThan(0);
      const page = await fetch(`${dev.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain(saved);
      // Served with its assets inline: nothing to fetch from a CDN.
      expect(html).not.toMatch(/<script[^>]+src="https?:/);
    } finally {
      await dev.stop();
    }
  });
});
