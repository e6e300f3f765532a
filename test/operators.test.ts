import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/accounts/api-keys.js';
import { ledgerMismatches } from '../src/accounts/ledger-check.js';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';
import { startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';

const execFileAsync = promisify(execFile);

let test: TestApp;
let gemini: FakeUpstream;
let operator: { key: string; accountId: string };
let tenant: { key: string; accountId: string };

beforeAll(async () => {
  // Gemini refuses every request: jobs of nano-banana-2 end FAILED and release their hold.
  gemini = await startFakeUpstream(() => ({ status: 400, json: { error: { code: 400, message: 'Invalid prompt.', status: 'INVALID_ARGUMENT' } } }));
  test = await startTestApp({ GEMINI_API_KEY: 'gemini-key', GEMINI_BASE_URL: gemini.url, PROVIDER_MAX_RETRIES: '0' });
  operator = await test.createKey(0, { operator: true });
  tenant = await test.createKey(100);
});
afterAll(async () => {
  await test?.stop();
  await gemini?.close();
});

const balanceOf = async (accountId: string) => Number((await test.app.services.database.sql<{ balance: number }[]>`select balance from accounts where id = ${accountId}`)[0]!.balance);
const ledgerRows = async (accountId: string) => Number((await test.app.services.database.sql`select count(*)::int as count from credit_entries where account_id = ${accountId}`)[0]!.count);

const operatorOperations = [
  ['createAccount', 'mutation { createAccount(name: "x", credits: 5) { keyId } }'],
  ['accounts', '{ accounts { nodes { id } } }'],
  ['grantCredits', (id: string) => `mutation { grantCredits(accountId: "${id}", amount: 2000000000) }`],
  ['setAccountLimits', (id: string) => `mutation { setAccountLimits(accountId: "${id}", requestsPerMinute: 0) }`],
  ['providers', '{ providers { id } }'],
  ['disableAccount', (id: string) => `mutation { disableAccount(accountId: "${id}") { canceledJobs } }`],
] as const;

describe('two roles', () => {
  it("refuses every operator operation to a tenant's admin key with FORBIDDEN (HTTP 403), on its own account too", async () => {
    const accountsBefore = await test.app.services.database.sql`select id, balance, requests_per_minute, disabled_at from accounts order by id`;
    for (const [name, operation] of operatorOperations) {
      const query = typeof operation === 'string' ? operation : operation(tenant.accountId);
      const { status, body } = await test.graphql(query, {}, tenant.key);
      expect({ name, status, code: body.errors?.[0].extensions.code }).toEqual({ name, status: 403, code: 'FORBIDDEN' });
      expect(body.errors![0].message).toMatch(/operator/);
    }
    expect(await test.app.services.database.sql`select id, balance, requests_per_minute, disabled_at from accounts order by id`).toEqual(accountsBefore);
  });

  it('lets an operator create accounts, list them with balance and usage, grant credits and set limits', async () => {
    const created = (await test.graphql('mutation { createAccount(name: "acme", credits: 40, scopes: [GENERATE, READ]) { key keyId account { id name balance } } }', {}, operator.key)).body.data
      .createAccount;
    expect(created.account).toMatchObject({ name: 'acme', balance: 40 });
    const viewer = (await test.graphql('{ viewer { accountId operator balance apiKeys { id } } }', {}, created.key)).body;
    expect(viewer.data?.viewer ?? null).toBeNull();
    expect(viewer.errors![0].extensions.code).toBe('FORBIDDEN'); // apiKeys needs admin, which the first key was not given
    expect((await test.graphql('{ viewer { accountId operator balance } }', {}, created.key)).body.data.viewer).toEqual({ accountId: created.account.id, operator: false, balance: 40 });
    await generatePlaceholder(test, created.key);
    expect((await test.graphql(`mutation { grantCredits(accountId: "${created.account.id}", amount: 10, note: "welcome") }`, {}, operator.key)).body.data.grantCredits).toBe(49);
    expect((await test.graphql(`mutation { setAccountLimits(accountId: "${created.account.id}", requestsPerMinute: 7, maxRunningJobs: 2) }`, {}, operator.key)).body.data.setAccountLimits).toBe(true);

    const since = new Date(Date.now() - 3_600_000).toISOString();
    const seen: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (
        await test.graphql(
          'query($after: String, $since: DateTime!) { accounts(first: 2, after: $after) { nodes { id name balance requestsPerMinute maxRunningJobs usage(from: $since) { jobs } } pageInfo { endCursor hasNextPage } } }',
          { after, since },
          operator.key,
        )
      ).body.data.accounts;
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen.map((account) => account.id)).size).toBe(seen.length);
    expect(seen.find((account) => account.id === created.account.id)).toEqual({ id: created.account.id, name: 'acme', balance: 49, requestsPerMinute: 7, maxRunningJobs: 2, usage: [{ jobs: 1 }] });
    expect(seen.map((account) => account.id)).toEqual(expect.arrayContaining([operator.accountId, tenant.accountId]));
    expect(await ledgerMismatches(test.app.services.database.sql)).toEqual([]);
  });

  it('makes operator keys with the CLI; the key reads providers and accounts', async () => {
    const { stdout } = await execFileAsync('npx', ['tsx', 'src/cli/main.ts', 'keys', 'create', '--operator', '--json'], { env: { ...process.env, DATABASE_URL: test.databaseUrl } });
    const created = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(created).sort()).toEqual(['accountId', 'key', 'keyId']);
    const { body } = await test.graphql('{ viewer { operator } providers { id } accounts(first: 1) { nodes { id } } }', {}, created.key);
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer.operator).toBe(true);
    expect(body.data.providers.length).toBeGreaterThan(0);
  });
});

describe('scope ceiling', () => {
  it('creates keys with a subset of the own scopes only, and never an operator key', async () => {
    const sql = test.app.services.database.sql;
    const readAdmin = await createApiKey(sql, tenant.accountId, { scopes: ['read', 'admin'] });
    const keysBefore = await sql`select id from api_keys where account_id = ${tenant.accountId}`;
    for (const scopes of ['[GENERATE]', '[READ, GENERATE]', '[ADMIN, GENERATE, READ]']) {
      const { status, body } = await test.graphql(`mutation { createApiKey(scopes: ${scopes}) { key } }`, {}, readAdmin.key);
      expect(status).toBe(403);
      expect(body.errors![0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors![0].message).toContain('"generate"');
    }
    expect(await sql`select id from api_keys where account_id = ${tenant.accountId}`).toHaveLength(keysBefore.length);
    const subset = (await test.graphql('mutation { createApiKey(scopes: [READ]) { key apiKey { scopes operator } } }', {}, readAdmin.key)).body.data.createApiKey;
    expect(subset.apiKey).toEqual({ scopes: ['READ'], operator: false });
    // Even an operator's own key mints tenant keys only: operator keys come from the CLI.
    const fromOperator = (await test.graphql('mutation { createApiKey(scopes: [READ]) { apiKey { operator } } }', {}, operator.key)).body.data.createApiKey;
    expect(fromOperator.apiKey.operator).toBe(false);
    expect((await sql`select count(*)::int as count from api_keys where operator and account_id = ${tenant.accountId}`)[0]!.count).toBe(0);
  });
});

describe('atomic ledger', () => {
  it('rejects a NUL in the note naming the field and moves nothing; edge amounts never break balance == ledger', async () => {
    const account = await test.createKey(10);
    const rows = await ledgerRows(account.accountId);
    for (const note of ['bonus\u0000', '\u0000', `${'x'.repeat(100_000)}`]) {
      const { body } = await test.graphql('mutation($id: ID!, $note: String) { grantCredits(accountId: $id, amount: 5, note: $note) }', { id: account.accountId, note }, operator.key);
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
      expect(body.errors![0].message.length).toBeLessThan(200);
    }
    // A lone surrogate is not text: refused like a NUL, never stored half-converted.
    const surrogate = await test.graphql('mutation($id: ID!, $note: String) { grantCredits(accountId: $id, amount: 1, note: $note) }', { id: account.accountId, note: 'a\uD800b' }, operator.key);
    expect(surrogate.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    expect(
      (await test.graphql('mutation($id: ID!, $note: String) { grantCredits(accountId: $id, amount: 1, note: $note) }', { id: account.accountId, note: 'a b' }, operator.key)).body.data.grantCredits,
    ).toBe(11);
    // Int bounds: 2^31 is not an Int; a balance past 2^31 - 1 (what balance fields carry) is refused.
    expect((await test.graphql(`mutation { grantCredits(accountId: "${account.accountId}", amount: ${2 ** 31}) }`, {}, operator.key)).body.errors![0].extensions.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect((await test.graphql(`mutation { grantCredits(accountId: "${account.accountId}", amount: ${2 ** 31 - 12}) }`, {}, operator.key)).body.data.grantCredits).toBe(2 ** 31 - 1);
    const before = await balanceOf(account.accountId);
    const overflow = await test.graphql(`mutation { grantCredits(accountId: "${account.accountId}", amount: 1) }`, {}, operator.key);
    expect(overflow.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    expect(await balanceOf(account.accountId)).toBe(before);
    expect(await ledgerRows(account.accountId)).toBe(rows + 2);
    const unknown = await test.graphql('mutation { grantCredits(accountId: "00000000-0000-4000-8000-000000000000", amount: 1) }', {}, operator.key);
    expect(unknown.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
    expect(await ledgerMismatches(test.app.services.database.sql)).toEqual([]);
  });

  it('keeps balance == sum(ledger) through random grants, jobs, cancels and failures (property)', async () => {
    const sql = test.app.services.database.sql;
    const command = fc.oneof(
      fc.record({
        kind: fc.constant('grant' as const),
        amount: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(2 ** 31 - 1, 10 ** 9)),
        note: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('nul\u0000note')),
      }),
      fc.record({ kind: fc.constant('job' as const), slow: fc.boolean(), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('failing' as const) }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 30 }), fc.array(command, { minLength: 1, maxLength: 7 }), async (credits, commands) => {
        const account = await test.createKey(credits);
        const jobs: string[] = [];
        let granted = 0;
        for (const step of commands) {
          if (step.kind === 'grant') {
            const { body } = await test.graphql(
              'mutation($id: ID!, $amount: Int!, $note: String) { grantCredits(accountId: $id, amount: $amount, note: $note) }',
              { id: account.accountId, amount: step.amount, note: step.note },
              operator.key,
            );
            if (step.note.includes('\u0000')) expect(body.errors![0].extensions.field).toBe('note');
            else if (body.data?.grantCredits != null) granted += step.amount;
            else expect(body.errors![0].extensions.field).toBe('amount');
          } else if (step.kind === 'job') {
            const { body } = await test.graphql(
              'mutation($input: GenerateImageWithParamsInput!) { generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }',
              { input: { model: 'placeholder', prompt: 'p', n: step.n, params: { resolution: 'RES_512', steps: step.slow ? 20 : 1, stepMs: step.slow ? 50 : 0 } } },
              account.key,
            );
            if (body.data.generateImageWithParams.job) jobs.push(body.data.generateImageWithParams.job.id);
          } else if (step.kind === 'failing') {
            const { body } = await test.graphql(
              'mutation($input: GenerateImageWithParamsInput!) { generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }',
              { input: { model: 'nano-banana-2', prompt: 'p' } },
              account.key,
            );
            if (body.data.generateImageWithParams.job) jobs.push(body.data.generateImageWithParams.job.id);
          } else if (jobs.length > 0) {
            await test.graphql('mutation($id: ID!) { cancelJob(id: $id) { id } }', { id: jobs[step.pick % jobs.length] }, account.key);
          }
          // The invariant holds at every moment, jobs in flight included.
          expect(await ledgerMismatches(sql)).toEqual([]);
        }
        await waitFor(async () => (await sql`select 1 from jobs where account_id = ${account.accountId} and status in ('QUEUED', 'RUNNING')`).length === 0, 'every job to finish', 60_000);
        expect(await ledgerMismatches(sql)).toEqual([]);
        const [charged] = await sql<
          { charged: number; held: number }[]
        >`select coalesce(sum(credits_charged), 0)::bigint as charged, coalesce(sum(credits_held), 0)::bigint as held from jobs where account_id = ${account.accountId}`;
        expect(charged!.held).toBe(0);
        expect(await balanceOf(account.accountId)).toBe(credits + granted - charged!.charged);
      }),
      { numRuns: 8 },
    );
  }, 240_000);
});

describe('disableAccount', () => {
  it('stops the keys at once (open WebSockets too), cancels and refunds queued and running jobs', async () => {
    const victim = await test.createKey(50);
    const running = await generatePlaceholder(test, victim.key, { steps: 100, stepMs: 100 });
    await waitFor(async () => (await test.app.services.database.sql`select 1 from jobs where id = ${running.id} and status = 'RUNNING'`).length > 0, 'the job to start');
    // The per-account running limit keeps this one queued.
    await test.graphql(`mutation { setAccountLimits(accountId: "${victim.accountId}", maxRunningJobs: 1) }`, {}, operator.key);
    const queued = await generatePlaceholder(test, victim.key, { steps: 100, stepMs: 100 });
    const open = collect(test.wsClient(victim.key), JOB_UPDATED, { id: running.id }).then(
      () => 'completed',
      (error: unknown) => error,
    );
    await waitFor(() => test.app.services.hub.subscriberCount > 0, 'the subscription');

    const { body } = await test.graphql(`mutation { disableAccount(accountId: "${victim.accountId}") { canceledJobs account { disabledAt balance } } }`, {}, operator.key);
    expect(body.data.disableAccount.canceledJobs).toBeGreaterThanOrEqual(1);
    expect(body.data.disableAccount.account.disabledAt).not.toBeNull();
    expect((await test.graphql('{ viewer { balance } }', {}, victim.key)).status).toBe(401);
    expect(await open).toMatchObject({ code: 4403 });
    await waitFor(async () => (await test.app.services.database.sql`select 1 from jobs where account_id = ${victim.accountId} and status in ('QUEUED', 'RUNNING')`).length === 0, 'both jobs to end');
    const statuses = await test.app.services.database.sql<{ id: string; status: string }[]>`select id, status from jobs where account_id = ${victim.accountId}`;
    expect(Object.fromEntries(statuses.map((job) => [job.id, job.status]))).toEqual({ [running.id]: 'CANCELED', [queued.id]: 'CANCELED' });
    expect(await balanceOf(victim.accountId)).toBe(50);
    expect(await ledgerMismatches(test.app.services.database.sql)).toEqual([]);
    // The operator cannot lock itself out.
    const self = await test.graphql(`mutation { disableAccount(accountId: "${operator.accountId}") { canceledJobs } }`, {}, operator.key);
    expect(self.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
  });
});

describe('rate limits count operations', () => {
  const limitedAccount = async (requestsPerMinute: number) => {
    const account = await test.createKey(1000);
    const limited = await test.graphql(`mutation { setAccountLimits(accountId: "${account.accountId}", requestsPerMinute: ${requestsPerMinute}) }`, {}, operator.key);
    expect(limited.body).toEqual({ data: { setAccountLimits: true } });
    return account;
  };
  const post = (key: string, body: unknown) =>
    fetch(`${test.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  const aliasedGenerations = (count: number) =>
    `mutation { ${Array.from({ length: count }, (_, index) => `g${index}: generateImage(input: { model: { placeholder: { prompt: "p", steps: 1, stepMs: 0, resolution: RES_512 } } }) { __typename }`).join(' ')} }`;
  const jobCount = async (accountId: string) => Number((await test.app.services.database.sql`select count(*)::int as count from jobs where account_id = ${accountId}`)[0]!.count);

  it('counts 30 aliased generateImage fields in one request as 30', async () => {
    const account = await limitedAccount(30);
    const first = await post(account.key, { query: aliasedGenerations(30) });
    expect(first.status).toBe(200);
    expect(await jobCount(account.accountId)).toBe(30);
    const next = await post(account.key, { query: '{ viewer { balance } }' });
    expect(next.status).toBe(429);
    expect(((await next.json()) as any).errors[0].extensions.code).toBe('RATE_LIMITED');

    // Over the budget in one request: refused before anything runs.
    const other = await limitedAccount(30);
    const tooMany = await post(other.key, { query: `mutation { cancelJob(id: "00000000-0000-4000-8000-000000000000") { id } ${aliasedGenerations(30).slice('mutation { '.length)}` });
    expect(tooMany.status).toBe(429);
    expect(await jobCount(other.accountId)).toBe(0);
  });

  it('counts every operation of a batch, fragments included, and fields merged by response key once', async () => {
    // 2 + 1 (the same response key twice is one field; __typename is free) + 2 = 5 > 4.
    const account = await limitedAccount(4);
    const twoFields = { query: '{ ...Both } fragment Both on Query { a: viewer { balance } b: viewer { balance } }' };
    const batch = (await (await post(account.key, [twoFields, { query: '{ a: viewer { balance } a: viewer { balance } __typename }' }, twoFields])).json()) as any[];
    // The operations of a batch run concurrently: whichever is counted last goes over the budget.
    expect(batch.map((result) => result.errors?.[0].extensions.code ?? 'ok').sort()).toEqual(['RATE_LIMITED', 'ok', 'ok']);
  });
});
