import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/accounts/api-keys.js';
import { collect, GENERATE, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';

let test: TestApp;
let admin: { key: string; accountId: string };
let operator: { key: string; accountId: string };

beforeAll(async () => {
  test = await startTestApp({ MAX_ALIASES: '5', MAX_BATCH_OPERATIONS: '2', MAX_REQUEST_BYTES: '20000' });
  admin = await test.createKey(100);
  operator = await test.createKey(0, { operator: true });
});
afterAll(() => test?.stop());

describe('API keys', () => {
  it('creates, lists and revokes keys; a revoked key stops working at once, open WebSockets included', async () => {
    const created = await test.graphql('mutation { createApiKey(name: "ci", scopes: [GENERATE, READ]) { key apiKey { id prefix name scopes } } }', {}, admin.key);
    const { key, apiKey } = created.body.data.createApiKey;
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey).toMatchObject({ name: 'ci', scopes: ['GENERATE', 'READ'] });
    expect((await test.graphql('{ viewer { balance } }', {}, key)).status).toBe(200);
    // `lastUsedAt` is written beside the request, not before its answer: wait for it to show.
    const listed = await waitFor(async () => {
      const keys = (await test.graphql('{ viewer { apiKeys { id prefix name lastUsedAt revokedAt } } }', {}, admin.key)).body.data.viewer.apiKeys;
      return keys.find((entry: { id: string; lastUsedAt: string | null }) => entry.id === apiKey.id && entry.lastUsedAt !== null) ? keys : undefined;
    }, 'the key to be marked used');
    expect(listed.find((entry: { id: string }) => entry.id === apiKey.id)).toMatchObject({ prefix: apiKey.prefix, revokedAt: null, lastUsedAt: expect.any(String) });

    // An open subscription on the key...
    const client = test.wsClient(key);
    const job = await generatePlaceholder(test, key, { steps: 50, stepMs: 100 });
    const open = collect(client, JOB_UPDATED, { id: job.id });
    await waitFor(() => test.app.services.hub.subscriberCount > 0, 'the subscription');
    const revoked = await test.graphql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, admin.key);
    expect(revoked.body.data.revokeApiKey.revokedAt).not.toBeNull();
    // ...is closed with graphql-ws's Forbidden code, and HTTP requests are refused.
    await expect(open).rejects.toMatchObject({ code: 4403 });
    expect((await test.graphql('{ viewer { balance } }', {}, key)).status).toBe(401);
    await test.graphql('mutation($id: ID!) { cancelJob(id: $id) { id } }', { id: job.id }, admin.key);
  });

  it('enforces scopes', async () => {
    const readOnly = await createApiKey(test.app.services.database.sql, admin.accountId, { scopes: ['read'] });
    const { body } = await test.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'x' } } } }, readOnly.key);
    expect(body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await test.graphql('{ jobs { nodes { id } } }', {}, readOnly.key)).body.data.jobs.nodes.length).toBeGreaterThan(0);
    const notAdmin = await createApiKey(test.app.services.database.sql, admin.accountId, { scopes: ['generate', 'read'] });
    const grant = await test.graphql(`mutation { grantCredits(accountId: "${admin.accountId}", amount: 5) }`, {}, notAdmin.key);
    expect(grant.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('credits ledger', () => {
  it('records grant, hold, capture and release, and admins can grant', async () => {
    const account = await test.createKey(10);
    const queued = await generatePlaceholder(test, account.key, {}, { n: 2 });
    await collect(test.wsClient(account.key), JOB_UPDATED, { id: queued.id });
    const granted = await test.graphql(`mutation { grantCredits(accountId: "${account.accountId}", amount: 5, note: "bonus") }`, {}, operator.key);
    expect(granted.body.data.grantCredits).toBe(13);
    const ledger = (await test.graphql('{ viewer { balance ledger(first: 10) { nodes { kind amount jobId note } } } }', {}, account.key)).body.data.viewer;
    expect(ledger.balance).toBe(13);
    expect(ledger.ledger.nodes.map((entry: { kind: string; amount: number }) => [entry.kind, entry.amount])).toEqual([
      ['grant', 5],
      ['capture', 2],
      ['hold', -2],
      ['grant', 10],
    ]);
  });
});

describe('rate limits', () => {
  it('answers RATE_LIMITED with retryAfter, HTTP 429 and Retry-After over the per-key budget', async () => {
    const limited = await test.createKey(10);
    await test.graphql(`mutation { setAccountLimits(accountId: "${limited.accountId}", requestsPerMinute: 3) }`, {}, operator.key);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let index = 0; index < 4; index++) {
      last = await fetch(`${test.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${limited.key}` },
        body: JSON.stringify({ query: '{ viewer { balance } }' }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await last!.json()) as any;
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(body.errors[0].extensions.retryAfter).toBeGreaterThan(0);
  });
});

describe('hardening', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${test.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.key}`, ...headers }, body: JSON.stringify(body) });

  it('refuses queries that are too deep or use too many aliases', async () => {
    const shallow = await startTestApp({ MAX_QUERY_DEPTH: '4' });
    try {
      const { body } = await shallow.graphql('{ jobs { edges { node { model { id } } } } }', {}, (await shallow.createKey()).key);
      expect(JSON.stringify(body.errors)).toMatch(/depth limit of 4/i);
    } finally {
      await shallow.stop();
    }
    const aliases = (await (await post({ query: `{ ${Array.from({ length: 8 }, (_, index) => `a${index}: viewer { balance }`).join(' ')} }` })).json()) as any;
    expect(JSON.stringify(aliases.errors)).toMatch(/alias/i);
  });

  it('limits batched operations and request size', async () => {
    const batch = await post([{ query: '{ viewer { balance } }' }, { query: '{ viewer { balance } }' }, { query: '{ viewer { balance } }' }]);
    expect(batch.status).toBeGreaterThanOrEqual(400);
    const ok = (await (await post([{ query: '{ viewer { balance } }' }, { query: '{ viewer { balance } }' }])).json()) as any[];
    expect(ok).toHaveLength(2);
    const large = await post({ query: `{ viewer { balance } } # ${'x'.repeat(30_000)}` });
    expect(large.status).toBe(413);
  });

  it('blocks simple cross-site requests (CSRF) unless authenticated by header or a preflight header is present', async () => {
    const url = `${test.url}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const simple = await fetch(url);
    expect(simple.status).toBe(403);
    const withHeader = await fetch(url, { headers: { 'x-graphql-csrf': '1' } });
    expect(withHeader.status).toBe(200);
    // A page can only send Authorization after a CORS preflight, so such a request is no CSRF.
    const authenticated = await fetch(`${test.url}/graphql?query=${encodeURIComponent('{ viewer { balance } }')}`, { headers: { authorization: `Bearer ${admin.key}` } });
    expect(authenticated.status).toBe(200);
  });

  it('can turn introspection off', async () => {
    const closed = await startTestApp({ INTROSPECTION: 'false' });
    try {
      const { body } = await closed.graphql('{ __schema { queryType { name } } }', {}, (await closed.createKey()).key);
      expect(body.errors?.length).toBeGreaterThan(0);
    } finally {
      await closed.stop();
    }
  });
});

describe('usage', () => {
  it('filters jobs by status, model and time range, with credit totals per period', async () => {
    const account = await test.createKey(20);
    const first = await generatePlaceholder(test, account.key, {}, { n: 2 });
    await collect(test.wsClient(account.key), JOB_UPDATED, { id: first.id });
    const canceled = await test.graphql(
      'mutation($input: GenerateImageWithParamsInput!) { generateImageWithParams(input: $input) { ... on GenerateImageSuccess { job { id } } } }',
      { input: { model: 'placeholder', prompt: 'slow', params: { steps: 50, stepMs: 100 } } },
      account.key,
    );
    const canceledId = canceled.body.data.generateImageWithParams.job.id;
    await test.graphql('mutation($id: ID!) { cancelJob(id: $id) { id } }', { id: canceledId }, account.key);
    // A running job ends CANCELED once its worker has stopped it.
    await collect(test.wsClient(account.key), JOB_UPDATED, { id: canceledId });
    const since = new Date(Date.now() - 3600_000).toISOString();
    const { body } = await test.graphql(
      `query($since: DateTime!) {
        succeeded: jobs(status: [SUCCEEDED], model: "dev-placeholder", createdAfter: $since) { nodes { id } }
        future: jobs(createdAfter: "2999-01-01T00:00:00Z") { nodes { id } }
        viewer { usage(from: $since, interval: DAY) { jobs succeeded canceled images credits } }
      }`,
      { since },
      account.key,
    );
    expect(body.data.succeeded.nodes.map((node: { id: string }) => node.id)).toEqual([first.id]);
    expect(body.data.future.nodes).toEqual([]);
    expect(body.data.viewer.usage).toEqual([{ jobs: 2, succeeded: 1, canceled: 1, images: 2, credits: 2 }]);
  });
});
