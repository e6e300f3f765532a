import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

/** Automatic persisted queries, as Apollo Client's and urql's persisted-query links send them. */

let test: TestApp;
let key: string;

beforeAll(async () => {
  test = await startTestApp();
  key = (await test.createKey()).key;
});
afterAll(() => test?.stop());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function post(body: unknown) {
  const response = await fetch(`${test.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe('automatic persisted queries', () => {
  it('asks for an unknown hash, registers it with the query, then runs it by hash over POST and GET', async () => {
    const query = `query Balance { viewer { accountId balance } } # ${Math.random()}`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

    const miss = await post({ extensions, operationName: 'Balance' });
    expect(miss.status).toBe(200);
    expect(miss.body.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });

    const registered = await post({ query, extensions, operationName: 'Balance' });
    expect(registered.body.data.viewer.balance).toEqual(expect.any(Number));

    const hit = await post({ extensions, operationName: 'Balance' });
    expect(hit.body).toEqual(registered.body);

    // urql and Apollo send hashed queries as GET; the Authorization header makes it no CSRF.
    const get = await fetch(`${test.url}/graphql?operationName=Balance&extensions=${encodeURIComponent(JSON.stringify(extensions))}`, {
      headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.viewer.balance).toEqual(expect.any(Number));
  });

  it('refuses a hash that does not match the query, and malformed hashes, with 400 and a code', async () => {
    const wrong = await post({ query: '{ viewer { accountId } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    const version = await post({ extensions: { persistedQuery: { version: 2, sha256Hash: sha256('x') } } });
    expect(version.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('\u0000'.repeat(64), 'a'.repeat(100_000), '\ud800'.repeat(64)), fc.integer(), fc.constant(2 ** 53)),
        async (hash) => {
          const { status, body } = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
          expect(status).toBe(400);
          expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
          expect(JSON.stringify(body).length).toBeLessThan(1000);
        },
      ),
      { numRuns: 40 },
    );
  });
});
