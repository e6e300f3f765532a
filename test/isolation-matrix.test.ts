import { getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSchema } from '../src/graphql/index.js';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';
import { startFakeUpstream, testPicture, type FakeUpstream } from './support/fake-upstream.js';

/**
 * Every root field of the schema, tried with one tenant's key on the other tenant's ids: the
 * answer equals the answer for an unknown id, and nothing of the other tenant changes. The case
 * table is keyed by field name and must cover the whole schema, so a new field without a case
 * fails this suite.
 */

interface Tenant {
  key: string;
  accountId: string;
  keyId: string;
  jobId: string;
  imageId: string;
  mediaId: string;
  endpointId: string;
  deliveryId: string;
  secrets: string[];
}

type Case =
  /**
   * Takes an id of the other tenant: same answer as for an unknown id. `ids` may name several
   * ids, each tried in turn; with `list` they are sent together as one list.
   */
  | { kind: 'foreign-id'; query: string; variable: string; ids: (other: Tenant) => string | string[]; list?: boolean; subscription?: boolean }
  /** Operators only: a tenant gets FORBIDDEN, whatever the id. */
  | { kind: 'operator'; query: string; variable?: string; ids?: (other: Tenant) => string }
  /** Works on the caller's own account (or on shared catalog data): the answer never shows the other tenant. */
  | { kind: 'own'; query: string; variables?: (self: Tenant) => Record<string, unknown>; subscription?: boolean; multipart?: boolean };

const unknownId = '00000000-0000-4000-8000-000000000000';
const generateInput = { model: { placeholder: { prompt: 'own', steps: 1, stepMs: 0, resolution: 'RES_512' } } };

/** Every id of an object the tenant owns (its account, key, job, output image, media, endpoint, delivery). */
const ownedIds = (other: Tenant) => [other.accountId, other.keyId, other.jobId, other.imageId, other.mediaId, other.endpointId, other.deliveryId];

const cases: Record<string, Case> = {
  // Query
  job: { kind: 'foreign-id', query: 'query($id: ID!) { job(id: $id) { id status images { id url } webhookDeliveries { id } } }', variable: 'id', ids: (other) => other.jobId },
  jobs: { kind: 'own', query: '{ jobs(first: 100) { edges { node { id } } } }' },
  media: { kind: 'foreign-id', query: 'query($id: ID!) { media(id: $id) { id url } }', variable: 'id', ids: (other) => other.mediaId },
  model: { kind: 'own', query: '{ model(id: "placeholder") { id } }' },
  models: { kind: 'own', query: '{ models { id } }' },
  templates: { kind: 'own', query: '{ templates { __typename } }' },
  styles: { kind: 'own', query: '{ styles { __typename } }' },
  vendors: { kind: 'own', query: '{ vendors }' },
  node: { kind: 'foreign-id', query: 'query($id: ID!) { node(id: $id) { __typename id } }', variable: 'id', ids: ownedIds },
  nodes: { kind: 'foreign-id', query: 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', variable: 'ids', ids: ownedIds, list: true },
  viewer: {
    kind: 'own',
    query: '{ viewer { accountId keyId operator balance apiKeys { id } ledger { nodes { id jobId } } usage(from: "2000-01-01T00:00:00Z") { jobs } webhookSecret webhookEndpoints { id url } } }',
  },
  providers: { kind: 'operator', query: '{ providers { id } }' },
  accounts: { kind: 'operator', query: '{ accounts { nodes { id } } }' },
  // Mutation
  cancelJob: { kind: 'foreign-id', query: 'mutation($id: ID!) { cancelJob(id: $id) { id status } }', variable: 'id', ids: (other) => other.jobId },
  revokeApiKey: { kind: 'foreign-id', query: 'mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }', variable: 'id', ids: (other) => other.keyId },
  updateWebhookEndpoint: {
    kind: 'foreign-id',
    query: 'mutation($id: ID!) { updateWebhookEndpoint(id: $id, description: "taken", enabled: false) { id } }',
    variable: 'id',
    ids: (other) => other.endpointId,
  },
  deleteWebhookEndpoint: { kind: 'foreign-id', query: 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', variable: 'id', ids: (other) => other.endpointId },
  rotateWebhookEndpointSecret: { kind: 'foreign-id', query: 'mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }', variable: 'id', ids: (other) => other.endpointId },
  replayWebhook: { kind: 'foreign-id', query: 'mutation($id: ID!) { replayWebhook(deliveryId: $id) { id } }', variable: 'id', ids: (other) => other.deliveryId },
  grantCredits: { kind: 'operator', query: 'mutation($id: ID!) { grantCredits(accountId: $id, amount: 1000000) }', variable: 'id', ids: (other) => other.accountId },
  setAccountLimits: { kind: 'operator', query: 'mutation($id: ID!) { setAccountLimits(accountId: $id, requestsPerMinute: 1) }', variable: 'id', ids: (other) => other.accountId },
  disableAccount: { kind: 'operator', query: 'mutation($id: ID!) { disableAccount(accountId: $id) { canceledJobs } }', variable: 'id', ids: (other) => other.accountId },
  createAccount: { kind: 'operator', query: 'mutation { createAccount(name: "mine", credits: 1000000) { key } }' },
  createApiKey: { kind: 'own', query: 'mutation { createApiKey(scopes: [READ]) { key apiKey { id } } }' },
  createWebhookEndpoint: { kind: 'own', query: 'mutation { createWebhookEndpoint(url: "http://127.0.0.1:9/own") { secret endpoint { id } } }' },
  rotateWebhookSecret: { kind: 'own', query: 'mutation { rotateWebhookSecret { secret } }' },
  generateImage: {
    kind: 'own',
    query: 'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }',
    variables: () => ({ input: generateInput }),
  },
  generateImageWithParams: {
    kind: 'own',
    query: 'mutation($input: GenerateImageWithParamsInput!) { generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }',
    variables: () => ({ input: { model: 'placeholder', prompt: 'own', params: { steps: 1, stepMs: 0, resolution: 'RES_512' } } }),
  },
  importMedia: { kind: 'own', query: 'mutation($url: String!) { importMedia(url: $url) { __typename ... on ImportMediaSuccess { media { id } } } }', variables: () => ({ url: pictureDataUrl }) },
  uploadMedia: { kind: 'own', query: 'mutation($file: File!) { uploadMedia(file: $file) { __typename ... on UploadMediaSuccess { media { id } } } }', multipart: true },
  // Subscription
  jobUpdated: { kind: 'foreign-id', query: 'subscription($id: ID!) { jobUpdated(id: $id) { type job { id } } }', variable: 'id', ids: (other) => other.jobId, subscription: true },
  jobsUpdated: { kind: 'own', query: 'subscription { jobsUpdated { type job { id } } }', subscription: true },
};

let test: TestApp;
let receiver: FakeUpstream;
let pictureDataUrl: string;
let picture: Buffer;
const tenants: Tenant[] = [];

async function makeTenant(): Promise<Tenant> {
  const { key, accountId, keyId } = await test.createKey(1000);
  const endpoint = (await test.graphql(`mutation { createWebhookEndpoint(url: "${receiver.url}/hook") { secret endpoint { id } } }`, {}, key)).body.data.createWebhookEndpoint;
  const accountSecret = (await test.graphql('{ viewer { webhookSecret } }', {}, key)).body.data.viewer.webhookSecret;
  const media = (await test.graphql('mutation($url: String!) { importMedia(url: $url) { ... on ImportMediaSuccess { media { id } } } }', { url: pictureDataUrl }, key)).body.data.importMedia.media;
  const job = await generatePlaceholder(test, key);
  await collect(test.wsClient(key), JOB_UPDATED, { id: job.id });
  const [image] = (await test.graphql('query($id: ID!) { job(id: $id) { images { id } } }', { id: job.id }, key)).body.data.job.images;
  const [delivery] = await waitFor(async () => {
    const rows = await test.app.services.database.sql<{ id: string }[]>`
        select id from webhook_deliveries where account_id = ${accountId} and status in ('delivered', 'failed') order by created_at`;
    const pending = await test.app.services.database.sql`select 1 from webhook_deliveries where account_id = ${accountId} and status in ('pending', 'sending')`;
    return rows.length > 0 && pending.length === 0 && rows;
  }, 'the webhook deliveries to settle');
  return { key, accountId, keyId, jobId: job.id, imageId: image.id, mediaId: media.id, endpointId: endpoint.endpoint.id, deliveryId: delivery!.id, secrets: [endpoint.secret, accountSecret] };
}

const tables = ['api_keys', 'credit_entries', 'idempotency_keys', 'jobs', 'job_events', 'images', 'media', 'webhook_secrets', 'webhook_endpoints', 'webhook_deliveries'];

/**
 * Everything the account owns. The account's own background work (jobs finishing, webhook
 * deliveries being attempted) is waited out first, and a delivery's attempt bookkeeping is left
 * out: the dispatcher keeps retrying an unreachable endpoint on its own schedule.
 */
async function snapshot(accountId: string): Promise<string> {
  const sql = test.app.services.database.sql;
  await waitFor(async () => (await sql`select 1 from jobs where account_id = ${accountId} and status in ('QUEUED', 'RUNNING')`).length === 0, "the account's own jobs to end");
  await waitFor(
    async () => (await sql`select 1 from job_events e where e.account_id = ${accountId} and not exists (select 1 from webhook_cursors c where (e.xid, e.id) <= (c.xid, c.event_id))`).length === 0,
    "the webhook planner to pass the account's events",
  );
  const parts = [JSON.stringify(await sql`select * from accounts where id = ${accountId}`)];
  for (const table of tables) {
    const rows =
      table === 'webhook_deliveries'
        ? await sql`select id, job_id, endpoint_id, event_id, event_type, webhook_id, payload, replay_of from webhook_deliveries where account_id = ${accountId} order by 1`
        : await sql`select * from ${sql(table)} where account_id = ${accountId} order by 1`;
    parts.push(JSON.stringify(rows));
  }
  return parts.join('\n');
}

/** Ids differ between the foreign and the unknown call: compare answers with every UUID masked. */
const masked = (value: unknown) => JSON.stringify(value).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');

async function run(entry: Case, key: string, variables: Record<string, unknown>): Promise<unknown> {
  if ('subscription' in entry && entry.subscription) {
    return collect(test.wsClient(key), entry.query, variables).then(
      (items) => ({ items }),
      (error: unknown) => ({ error: String(error) }),
    );
  }
  if ('multipart' in entry && entry.multipart) {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: entry.query, variables: { file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([new Uint8Array(picture)], { type: 'image/png' }), 'picture.png');
    const response = await fetch(`${test.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'x-graphql-csrf': '1' }, body: form });
    return { status: response.status, body: await response.json() };
  }
  return test.graphql(entry.query, variables, key);
}

beforeAll(async () => {
  receiver = await startFakeUpstream(() => ({ status: 204 }));
  test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_MS: '20' });
  picture = await testPicture(32, 32, 'png');
  pictureDataUrl = `data:image/png;base64,${picture.toString('base64')}`;
  tenants.push(await makeTenant(), await makeTenant());
});
afterAll(async () => {
  await test?.stop();
  await receiver?.close();
});

describe('isolation matrix', () => {
  it('has a case for every root field of the schema', () => {
    const schema = getSchema();
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      type && isObjectType(getNamedType(type)) ? Object.keys(type.getFields()) : [],
    );
    expect(rootFields.filter((field) => !(field in cases)).sort()).toEqual([]);
    expect(
      Object.keys(cases)
        .filter((field) => !rootFields.includes(field))
        .sort(),
    ).toEqual([]);
  });

  for (const [self, other] of [
    [0, 1],
    [1, 0],
  ] as const) {
    it(`tenant ${self + 1} cannot see or change anything of tenant ${other + 1}`, async () => {
      const caller = tenants[self]!;
      const victim = tenants[other]!;
      const before = await snapshot(victim.accountId);
      const foreignValues = [victim.accountId, victim.keyId, victim.jobId, victim.imageId, victim.mediaId, victim.endpointId, victim.deliveryId, ...victim.secrets];
      for (const [field, entry] of Object.entries(cases)) {
        if (entry.kind === 'foreign-id') {
          const ids = entry.ids(victim);
          for (const value of entry.list ? [ids] : [ids].flat()) {
            const foreign = await run(entry, caller.key, { [entry.variable]: value });
            const unknown = await run(entry, caller.key, { [entry.variable]: Array.isArray(value) ? value.map(() => unknownId) : unknownId });
            expect({ field, value, answer: masked(foreign) }).toEqual({ field, value, answer: masked(unknown) });
          }
        } else if (entry.kind === 'operator') {
          for (const id of entry.ids ? [entry.ids(victim), unknownId] : [undefined]) {
            const { status, body } = (await run(entry, caller.key, entry.variable ? { [entry.variable]: id } : {})) as { status: number; body: any };
            expect({ field, status, code: body.errors?.[0].extensions.code }).toEqual({ field, status: 403, code: 'FORBIDDEN' });
          }
        } else if (entry.subscription) {
          continue; // jobsUpdated is live: checked in its own test, with events of both tenants
        } else {
          const answer = await run(entry, caller.key, entry.variables?.(caller) ?? {});
          // The call must work for its own account, or "nothing leaked" would prove nothing.
          expect({ field, errors: (answer as { body: { errors?: unknown } }).body.errors }).toEqual({ field, errors: undefined });
          const text = JSON.stringify(answer);
          expect({ field, leaked: foreignValues.filter((value) => text.includes(value)) }).toEqual({ field, leaked: [] });
        }
      }
      expect(await snapshot(victim.accountId)).toBe(before);
    }, 120_000);
  }

  it("never streams the other tenant's events on jobsUpdated", async () => {
    const [first, second] = tenants as [Tenant, Tenant];
    const ownJob = { id: '' };
    const stream = collect<any>(test.wsClient(second.key), cases.jobsUpdated!.query, {}, (item) => item.jobsUpdated.type === 'SUCCEEDED' && item.jobsUpdated.job.id === ownJob.id);
    await waitFor(() => test.app.services.hub.subscriberCount > 0, 'the subscription');
    const foreignJob = await generatePlaceholder(test, first.key);
    ownJob.id = (await generatePlaceholder(test, second.key)).id;
    const updates = await stream;
    // Its own earlier jobs may still be finishing; no update may be of the other tenant's.
    const jobIds = [...new Set(updates.map((update) => update.jobsUpdated.job.id as string))];
    expect(jobIds).toContain(ownJob.id);
    expect(jobIds).not.toContain(foreignJob.id);
    const owners = await test.app.services.database.sql<{ accountId: string }[]>`select distinct account_id from jobs where id = any(${jobIds}::uuid[])`;
    expect(owners.map((owner) => owner.accountId)).toEqual([second.accountId]);
  });
});
