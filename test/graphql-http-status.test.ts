import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';

/** GraphQL-over-HTTP status codes on /graphql: typed errors stay, the status says what happened. */

let test: TestApp;
let key: string;

beforeAll(async () => {
  test = await startTestApp({ MAX_QUERY_DEPTH: '4', MAX_ALIASES: '3' });
  key = (await test.createKey(10)).key;
});
afterAll(() => test?.stop());

const MediaTypes = ['application/json', 'application/graphql-response+json'];

async function send(body: string, headers: Record<string, string>, accept: string) {
  const response = await fetch(`${test.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept, ...headers }, body });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('/graphql status codes', () => {
  it('401 UNAUTHENTICATED without a valid key', async () => {
    for (const accept of MediaTypes) {
      const answer = await send(JSON.stringify({ query: '{ models { id } }' }), { authorization: 'Bearer wrong' }, accept);
      expect([answer.status, answer.body.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
  });

  it('400 for malformed requests (not JSON; a syntax error with the graphql-response media type)', async () => {
    for (const accept of MediaTypes) expect((await send('{not json', { authorization: `Bearer ${key}` }, accept)).status).toBe(400);
    const parse = await send(JSON.stringify({ query: '{ models { ' }), { authorization: `Bearer ${key}` }, 'application/graphql-response+json');
    expect([parse.status, parse.body.errors?.[0]?.extensions?.code]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
  });

  it('400 OPERATION_LIMIT_EXCEEDED, not 200, when an operation passes a depth or alias limit', async () => {
    for (const accept of MediaTypes) {
      const deep = await send(JSON.stringify({ query: '{ jobs { edges { node { model { id parameters { name } } } } } }' }), { authorization: `Bearer ${key}` }, accept);
      expect(deep.status).toBe(400);
      expect(deep.body.errors?.[0]).toMatchObject({ extensions: { code: 'OPERATION_LIMIT_EXCEEDED' } });
      expect(deep.body.errors?.[0]?.message).toMatch(/depth limit of 4/);
      const aliases = await send(JSON.stringify({ query: '{ a: models { id } b: models { id } c: models { id } d: models { id } }' }), { authorization: `Bearer ${key}` }, accept);
      expect([aliases.status, aliases.body.errors?.[0]?.extensions?.code]).toEqual([400, 'OPERATION_LIMIT_EXCEEDED']);
    }
  });

  it('429 RATE_LIMITED with Retry-After once the budget is spent', async () => {
    const limited = await test.createKey(10);
    await test.app.services.database.sql`update accounts set requests_per_minute = 1 where id = ${limited.accountId}`;
    const query = JSON.stringify({ query: '{ models { id } }' });
    expect((await send(query, { authorization: `Bearer ${limited.key}` }, 'application/json')).status).toBe(200);
    for (const accept of MediaTypes) {
      const answer = await send(query, { authorization: `Bearer ${limited.key}` }, accept);
      expect([answer.status, answer.body.errors?.[0]?.extensions?.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    }
  });
});
