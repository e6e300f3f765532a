import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLObjectType } from 'graphql';
import { authScopesOf } from '../../src/graphql/auth-scopes.js';
import { getSchema } from '../../src/graphql/index.js';
import type { Context, Services } from '../../src/services.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * Who may call what (src/graphql/auth-scopes.ts and the `authScopes` each root field declares):
 * tenant scopes `read`, `generate`, `admin` act on the key's own account; `operator` keys run the
 * deployment; a key hands out at most the scopes it holds.
 */

/** The scope each root field requires beyond a valid key (none: any valid key). A change here is a change of who may do what. */
const Declared: Record<string, string | undefined> = {
  'Query.accounts': 'operator',
  'Query.job': 'read',
  'Query.jobs': 'read',
  'Query.media': 'read',
  'Query.model': undefined,
  'Query.models': undefined,
  'Query.node': 'authenticated',
  'Query.nodes': 'authenticated',
  'Query.providers': 'operator',
  'Query.styles': undefined,
  'Query.templates': undefined,
  'Query.vendors': undefined,
  'Query.viewer': 'authenticated',
  'Mutation.cancelJob': 'generate',
  'Mutation.createAccount': 'operator',
  'Mutation.createApiKey': 'admin',
  'Mutation.createWebhookEndpoint': 'admin',
  'Mutation.deleteWebhookEndpoint': 'admin',
  'Mutation.disableAccount': 'operator',
  'Mutation.generateImage': 'generate',
  'Mutation.generateImageWithParams': 'generate',
  'Mutation.grantCredits': 'operator',
  'Mutation.importMedia': 'generate',
  'Mutation.replayWebhook': 'generate',
  'Mutation.revokeApiKey': 'admin',
  'Mutation.rotateWebhookEndpointSecret': 'admin',
  'Mutation.rotateWebhookSecret': 'admin',
  'Mutation.setAccountLimits': 'operator',
  'Mutation.updateWebhookEndpoint': 'admin',
  'Mutation.uploadMedia': 'generate',
  'Subscription.jobUpdated': 'read',
  'Subscription.jobsUpdated': 'read',
};

const viewer = (scopes: string[], operator = false) => ({ accountId: 'a', keyId: 'k', scopes, operator });
const contextOf = (who: ReturnType<typeof viewer> | null): Context => ({ viewer: who, services: {} as Services });

describe('the scope table', () => {
  it('declares one scope (or none) on every root field, as listed', () => {
    const schema = getSchema();
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()] as GraphQLObjectType[];
    const declared: Record<string, string | undefined> = {};
    for (const root of roots) {
      for (const [name, field] of Object.entries(root.getFields())) {
        const scopes = (field.extensions as { pothosOptions?: { authScopes?: Record<string, boolean> } }).pothosOptions?.authScopes;
        expect(scopes === undefined || Object.keys(scopes).length === 1, `${root.name}.${name} declares one scope`).toBe(true);
        declared[`${root.name}.${name}`] = scopes ? Object.keys(scopes)[0] : undefined;
      }
    }
    expect(declared).toEqual(Declared);
  });

  it('grants each scope from the key alone: tenant scopes as carried, operator only to operator keys', () => {
    expect(authScopesOf(contextOf(null))).toEqual({ authenticated: false, read: false, generate: false, admin: false, operator: false });
    expect(authScopesOf(contextOf(viewer(['read'])))).toEqual({ authenticated: true, read: true, generate: false, admin: false, operator: false });
    expect(authScopesOf(contextOf(viewer(['generate', 'read', 'admin'])))).toEqual({ authenticated: true, read: true, generate: true, admin: true, operator: false });
    // An operator key's tenant scopes are what it carries; operator adds the deployment-wide fields.
    expect(authScopesOf(contextOf(viewer(['read'], true)))).toEqual({ authenticated: true, read: true, generate: false, admin: false, operator: true });
  });
});

describe('the scopes at work, over HTTP', () => {
  let test: TestApp;
  let tenant: { key: string; accountId: string };
  let readOnly: string;
  let operator: string;
  beforeAll(async () => {
    test = await startTestApp({ ROLE: 'api' });
    tenant = await test.createKey(100);
    readOnly = (await test.createKey(100, { scopes: ['read'] })).key;
    operator = (await test.createKey(0, { operator: true })).key;
  });
  afterAll(() => test?.stop());

  const GENERATE = 'mutation { generateImage(input: { model: { placeholder: { prompt: "scope test" } } }) { __typename } }';
  const GRANT = 'mutation($accountId: ID!) { grantCredits(accountId: $accountId, amount: 5) }';
  const errorOf = (body: { errors?: { message: string; extensions: { code: string } }[] }) => body.errors?.[0] && { code: body.errors[0].extensions.code, message: body.errors[0].message };

  it('refuses every field without a key (401), even the public catalog', async () => {
    const { status, body } = await test.graphql('{ models { id } }');
    expect(status).toBe(401);
    expect(errorOf(body)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lets a read-only key read but not generate, naming the missing scope (403)', async () => {
    expect((await test.graphql('{ jobs(first: 1) { edges { node { id } } } }', {}, readOnly)).body.errors).toBeUndefined();
    const { status, body } = await test.graphql(GENERATE, {}, readOnly);
    expect(status).toBe(403);
    expect(errorOf(body)).toEqual({ code: 'FORBIDDEN', message: 'This API key lacks the "generate" scope' });
  });

  it('keeps operator fields from tenant keys, whatever their scopes, and lets operator keys use them', async () => {
    const refused = await test.graphql(GRANT, { accountId: tenant.accountId }, tenant.key);
    expect(refused.status).toBe(403);
    expect(errorOf(refused.body)).toEqual({ code: 'FORBIDDEN', message: 'This operation is for operators: it needs an operator API key' });
    expect(errorOf((await test.graphql('{ accounts { pageInfo { hasNextPage } } }', {}, tenant.key)).body)).toMatchObject({ code: 'FORBIDDEN' });

    const granted = await test.graphql(GRANT, { accountId: tenant.accountId }, operator);
    expect(granted.body).toEqual({ data: { grantCredits: 105 } });
  });

  it('lets a key hand out only the scopes it holds (the ceiling)', async () => {
    const admin = (await test.createKey(10, { scopes: ['generate', 'admin'] })).key;
    const create = (scopes: string[]) => test.graphql('mutation($scopes: [ApiKeyScope!]!) { createApiKey(scopes: $scopes) { key } }', { scopes }, admin);
    const beyond = await create(['READ']);
    expect(errorOf(beyond.body)).toEqual({ code: 'FORBIDDEN', message: 'scopes: this API key cannot grant "read", which it does not hold itself' });

    const created = (await create(['GENERATE'])).body.data.createApiKey.key as string;
    expect((await test.graphql(GENERATE, {}, created)).body.data.generateImage.__typename).toBe('GenerateImageSuccess');
    expect(errorOf((await test.graphql('{ jobs(first: 1) { edges { node { id } } } }', {}, created)).body)).toMatchObject({ code: 'FORBIDDEN' });
  });
});
