import { InMemoryCache } from '@apollo/client/cache';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import possibleTypes from '../src/client/possible-types.js';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';
import { startFakeUpstream, testPicture, type FakeUpstream } from './support/fake-upstream.js';

/**
 * `node(id)` / `nodes(ids)` over every type with an identity, and the one connection shape of
 * `jobs`, `accounts` and `viewer.ledger`, as a client cache relies on them.
 */

const NODE = 'query($id: ID!) { node(id: $id) { __typename id } }';

let test: TestApp;
let receiver: FakeUpstream;
let tenant: { key: string; accountId: string; keyId: string };
let operator: { key: string; accountId: string; keyId: string };
const ids: Record<string, string> = {};

beforeAll(async () => {
  receiver = await startFakeUpstream(() => ({ status: 204 }));
  test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_MS: '20' });
  tenant = await test.createKey(1000);
  operator = await test.createKey(0, { operator: true });
  const endpoint = (await test.graphql(`mutation { createWebhookEndpoint(url: "${receiver.url}/hook") { endpoint { id } } }`, {}, tenant.key)).body.data.createWebhookEndpoint.endpoint;
  const picture = await testPicture(16, 16, 'png');
  const media = (
    await test.graphql('mutation($url: String!) { importMedia(url: $url) { ... on ImportMediaSuccess { media { id } } } }', { url: `data:image/png;base64,${picture.toString('base64')}` }, tenant.key)
  ).body.data.importMedia.media;
  const job = await generatePlaceholder(test, tenant.key);
  await collect(test.wsClient(tenant.key), JOB_UPDATED, { id: job.id });
  const [delivery] = await waitFor(async () => {
    const found = (await test.graphql('query($id: ID!) { job(id: $id) { images { id } webhookDeliveries { id } } }', { id: job.id }, tenant.key)).body.data.job;
    ids.Image = found.images[0].id;
    return found.webhookDeliveries.length > 0 && found.webhookDeliveries;
  }, 'a webhook delivery of the job');
  Object.assign(ids, { Job: job.id, Media: media.id, WebhookEndpoint: endpoint.id, WebhookDelivery: delivery.id, ApiKey: tenant.keyId, Model: 'placeholder' });
  ids.Style = (await test.graphql('{ styles { id } }', {}, tenant.key)).body.data.styles[0].id;
});
afterAll(async () => {
  await test?.stop();
  await receiver?.close();
});

describe('node(id)', () => {
  it('finds every type with an identity by the same id the other fields show', async () => {
    for (const [typeName, id] of Object.entries(ids)) {
      const { body } = await test.graphql(NODE, { id }, tenant.key);
      expect({ typeName, node: body.data.node }).toEqual({ typeName, node: { __typename: typeName, id } });
    }
    const account = await test.graphql(NODE, { id: tenant.accountId }, operator.key);
    expect(account.body.data.node).toEqual({ __typename: 'Account', id: tenant.accountId });
    // Operators see any account's keys (as Account.apiKeys shows them), not its jobs.
    expect((await test.graphql(NODE, { id: tenant.keyId }, operator.key)).body.data.node).toEqual({ __typename: 'ApiKey', id: tenant.keyId });
    expect((await test.graphql(NODE, { id: ids.Job }, operator.key)).body.data.node).toBeNull();
  });

  it('selects type fields through fragments, like any other field returning the type', async () => {
    const { body } = await test.graphql('query($id: ID!) { node(id: $id) { id ... on Job { status images { id } } } }', { id: ids.Job }, tenant.key);
    expect(body.data.node).toEqual({ id: ids.Job, status: 'SUCCEEDED', images: [{ id: ids.Image }] });
  });

  it("answers null for another account's objects, for what the key's scopes do not reach, and for ids that name nothing", async () => {
    const other = await test.createKey(10);
    for (const id of [...Object.values(ids).filter((id) => id !== 'placeholder' && id !== ids.Style), tenant.accountId]) {
      expect({ id, node: (await test.graphql(NODE, { id }, other.key)).body.data.node }).toEqual({ id, node: null });
    }
    const readOnly = await test.createKey(0, { scopes: ['read'] });
    expect((await test.graphql(NODE, { id: readOnly.keyId }, readOnly.key)).body.data.node).toBeNull();
    const generateOnly = await test.createKey(10, { scopes: ['generate'] });
    const ownJob = await generatePlaceholder(test, generateOnly.key);
    expect((await test.graphql(NODE, { id: ownJob.id }, generateOnly.key)).body.data.node).toBeNull();
    for (const id of ['', 'garbage', 'Sm9iOjE=', '00000000-0000-4000-8000-000000000000', 'nano-banana-2-alias-that-is-not-an-id', 'x'.repeat(5000)]) {
      const { status, body } = await test.graphql(NODE, { id }, tenant.key);
      expect({ id: id.slice(0, 40), status, body }).toEqual({ id: id.slice(0, 40), status: 200, body: { data: { node: null } } });
    }
  });

  it('nodes(ids) keeps the order asked, with null where node would be null, and names `ids` when there are too many', async () => {
    const asked = [ids.Job, 'garbage', ids.Media, ids.Job, 'placeholder'];
    const { body } = await test.graphql('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids: asked }, tenant.key);
    expect(body.data.nodes).toEqual([{ __typename: 'Job', id: ids.Job }, null, { __typename: 'Media', id: ids.Media }, { __typename: 'Job', id: ids.Job }, { __typename: 'Model', id: 'placeholder' }]);
    const tooMany = await test.graphql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => ids.Job) }, tenant.key);
    expect(tooMany.body.errors?.[0]).toMatchObject({ message: 'ids: at most 100 ids at once', extensions: { code: 'BAD_USER_INPUT', field: 'ids' } });
  });

  it("lets Apollo's cache merge a job read through node() with the same job read through jobs", async () => {
    const cache = new InMemoryCache({ possibleTypes: possibleTypes.possibleTypes });
    const listQuery = parse('{ jobs(first: 5) { edges { cursor node { __typename id status progress } } } }');
    const nodeQuery = parse('query($id: ID!) { node(id: $id) { __typename id ... on Job { status progress stage } } }');
    const list = (await test.graphql('{ jobs(first: 5) { edges { cursor node { __typename id status progress } } } }', {}, tenant.key)).body.data;
    cache.writeQuery({ query: listQuery, data: list });
    const single = (await test.graphql('query($id: ID!) { node(id: $id) { __typename id ... on Job { status progress stage } } }', { id: ids.Job }, tenant.key)).body.data;
    cache.writeQuery({ query: nodeQuery, variables: { id: ids.Job }, data: { node: { ...single.node, progress: 0.5 } } });
    // One entity keyed by __typename and id: the write through node() shows in the list.
    expect(Object.keys(cache.extract()).filter((key) => key.startsWith('Job:'))).toEqual([`Job:${ids.Job}`]);
    const merged = cache.readQuery<{ jobs: { edges: { node: { id: string; progress: number } }[] } }>({ query: listQuery });
    expect(merged?.jobs.edges.find((edge) => edge.node.id === ids.Job)?.node.progress).toBe(0.5);
  });
});

describe('connections', () => {
  const shape = '{ edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }';

  async function pages(query: string, key: string, pick: (data: any) => any) {
    const seen: any[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await test.graphql(query, { after }, key);
      expect(body.errors).toBeUndefined();
      const page = pick(body.data);
      expect(page.nodes).toEqual(page.edges.map((edge: { node: unknown }) => edge.node));
      expect(page.pageInfo).toEqual({
        hasNextPage: page.pageInfo.hasNextPage,
        hasPreviousPage: after !== null,
        startCursor: page.edges[0]?.cursor ?? null,
        endCursor: page.edges.at(-1)?.cursor ?? null,
      });
      seen.push(...page.nodes.map((node: { id: string }) => node.id));
      if (!page.pageInfo.hasNextPage) return seen;
      after = page.pageInfo.endCursor;
    }
  }

  it('jobs, accounts and the ledger page the same way, each item once', async () => {
    await generatePlaceholder(test, tenant.key);
    await generatePlaceholder(test, tenant.key);
    const jobs = await pages(`query($after: String) { jobs(first: 2, after: $after) ${shape} }`, tenant.key, (data) => data.jobs);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(jobs).size).toBe(jobs.length);
    const ledger = await pages(`query($after: String) { viewer { ledger(first: 2, after: $after) ${shape} } }`, tenant.key, (data) => data.viewer.ledger);
    expect(ledger.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ledger).size).toBe(ledger.length);
    const accounts = await pages(`query($after: String) { accounts(first: 1, after: $after) ${shape} }`, operator.key, (data) => data.accounts);
    expect(accounts).toEqual(expect.arrayContaining([tenant.accountId, operator.accountId]));
    expect(new Set(accounts).size).toBe(accounts.length);
  });
});
