import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { GENERATE, startTestApp, type TestApp } from '../support/app.js';

/**
 * `POST /graphql` answered on the Node request (src/http/graphql-fast-path.ts) must answer
 * exactly as yoga's fetch adapter does: two servers on one database, one with the fast path and
 * one without, get the same requests and must give the same status, headers and body (generated
 * ids and times aside). The fast server's `/metrics` counter tells which path answered.
 */

let fast: TestApp;
let yoga: TestApp;
let key: string;

const Env = {
  NODE_ENV: 'production',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  ROLE: 'api',
  RATE_LIMIT_PER_MINUTE: '100000',
  MAX_QUERY_DEPTH: '4',
  MAX_ALIASES: '3',
  MAX_QUERY_COST: '100',
  MAX_REQUEST_BYTES: '4096',
  INTROSPECTION: 'false',
};

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  fast = await startTestApp(Env, { databaseUrl });
  yoga = await startTestApp(Env, { databaseUrl, graphqlFastPath: false });
  key = (await fast.createKey(1_000_000)).key;
});
afterAll(async () => {
  await fast?.stop();
  await yoga?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP/1.1 POST: headers exactly as given (no Accept unless asked), body as given. */
function post(url: string, body: string | Buffer, headers: Record<string, string>, path = '/graphql'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode!, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const Uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const Timestamp = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g;
/**
 * The only headers allowed to differ: the date, and the framing of the body (the fast path
 * always sends one body with its `Content-Length`; yoga's adapter sends some bodies chunked).
 */
const Transport = new Set(['date', 'content-length', 'transfer-encoding']);

function comparable(answer: Answer) {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !Transport.has(name)));
  return { status: answer.status, headers, body: answer.body.replace(Uuid, '<uuid>').replace(Timestamp, '<time>') };
}

/** Sends the same request to both servers; expects equal answers and says which path answered. */
async function both(body: string | Buffer, headers: Record<string, string> = {}) {
  const before = await directCount();
  const [viaFast, viaYoga] = [await post(fast.url, body, { 'content-type': 'application/json', ...headers }), await post(yoga.url, body, { 'content-type': 'application/json', ...headers })];
  expect(comparable(viaFast)).toEqual(comparable(viaYoga));
  return { answer: viaFast, json: safeJson(viaFast.body), fastPath: (await directCount()) - before === 1 };
}

async function directCount(): Promise<number> {
  const text = await (await fetch(`${fast.url}/metrics`)).text();
  return Number(/pictor_graphql_http_requests_total\{path="direct"\} (\d+)/.exec(text)![1]);
}

async function preparedCount(): Promise<number> {
  const text = await (await fetch(`${fast.url}/metrics`)).text();
  return Number(/pictor_graphql_prepared_operations_total (\d+)/.exec(text)![1]);
}

/** `both`, also saying whether the fast server answered from a prepared document (request hooks, parse and validation skipped). */
async function bothPrepared(body: string | Buffer, headers: Record<string, string> = {}) {
  const before = await preparedCount();
  const answer = await both(body, headers);
  return { ...answer, prepared: (await preparedCount()) - before === 1 };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const auth = (value: string) => ({ authorization: `Bearer ${value}` });
const AcceptHeaders = [undefined, 'application/json', 'application/graphql-response+json', '*/*', 'application/graphql-response+json, application/json;q=0.9'];
/** The submission bench/submit.ts measures (GENERATE itself is deeper than this server allows). */
const Submit = 'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on GenerateImageSuccess { job { id status } } ... on Error { code message } } }';
const generate = (prompt: unknown) => JSON.stringify({ query: Submit, variables: { input: { model: { placeholder: { prompt } } } } });

describe('POST /graphql on the Node request answers as yoga does', () => {
  it('valid mutations and queries, with every JSON Accept header (and none)', async () => {
    for (const accept of AcceptHeaders) {
      const headers = { ...auth(key), ...(accept ? { accept } : {}) };
      const submitted = await both(generate('a red fox'), headers);
      expect([submitted.answer.status, submitted.json.data?.generateImage.__typename, submitted.fastPath], submitted.answer.body).toEqual([200, 'GenerateImageSuccess', true]);
      const models = await both(JSON.stringify({ query: 'query Models { models { id name } }', operationName: 'Models' }), headers);
      expect([models.answer.status, models.json.data.models.length > 0, models.fastPath]).toEqual([200, true, true]);
    }
    const charset = await both(JSON.stringify({ query: '{ viewer { balance } }' }), { ...auth(key), 'content-type': 'application/json; charset=utf-8' });
    expect([charset.answer.status, charset.fastPath]).toEqual([200, true]);
  });

  it('GraphQL errors: syntax, unknown fields, bad variables, wrong operation name, typed input errors', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const headers = { ...auth(key), accept };
      const cases = [
        { query: '{ models { ' },
        { query: '{ models { nope } }' },
        { query: 'query($n: Int!) { models { id } }', variables: { n: 'x' } },
        { query: 'query A { viewer { balance } } query B { models { id } }' },
        { query: 'query A { viewer { balance } }', operationName: 'B' },
        { query: Submit, variables: { input: { model: { placeholder: { prompt: 'x', steps: -5 } } } } },
        { query: Submit, variables: { input: { model: { nope: {} } } } },
        { query: GENERATE, variables: { input: { model: { placeholder: { prompt: 'x' } } } } },
        { query: '{ job(id: "not-an-id") { id } }' },
        {},
        { query: 42 },
        { query: '{ viewer { balance } }', variables: 'not an object' },
      ];
      for (const body of cases) {
        const answer = await both(JSON.stringify(body), headers);
        expect(answer.json?.errors ?? answer.json?.data, JSON.stringify(body)).toBeDefined();
      }
    }
  });

  it('missing, invalid and revoked keys; introspection switched off', async () => {
    for (const headers of [{}, auth('wrong'), auth('pk_live_nope')]) {
      const answer = await both(JSON.stringify({ query: '{ viewer { balance } }' }), { ...headers, accept: 'application/graphql-response+json' });
      expect([answer.answer.status, answer.json.errors[0].extensions.code, answer.fastPath]).toEqual([401, 'UNAUTHENTICATED', true]);
    }
    const introspection = await both(JSON.stringify({ query: '{ __schema { types { name } } }' }), auth(key));
    expect(introspection.json.errors[0].message).toMatch(/introspection/i);
    const doomed = await fast.createKey(10);
    const { body } = await fast.graphql('{ viewer { apiKeys { id } } }', {}, doomed.key);
    await fast.graphql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: body.data.viewer.apiKeys[0].id }, doomed.key);
    // Each server learns of the revocation from the database's notification.
    for (const server of [fast, yoga])
      await expect.poll(async () => (await post(server.url, JSON.stringify({ query: '{ viewer { balance } }' }), { 'content-type': 'application/json', ...auth(doomed.key) })).status).toBe(401);
    const revoked = await both(JSON.stringify({ query: '{ viewer { balance } }' }), auth(doomed.key));
    expect(revoked.answer.status).toBe(401);
  });

  it('rate limits, operation limits (depth, aliases, cost) and scopes', async () => {
    const limited = await Promise.all([fast.createKey(10), fast.createKey(10)]);
    for (const created of limited) await fast.app.services.database.sql`update accounts set requests_per_minute = 1 where id = ${created.accountId}`;
    const query = JSON.stringify({ query: '{ viewer { balance } }' });
    // One key per server: each counts its own requests.
    for (const round of [200, 429, 429]) {
      const [viaFast, viaYoga] = [
        await post(fast.url, query, { 'content-type': 'application/json', ...auth(limited[0]!.key) }),
        await post(yoga.url, query, { 'content-type': 'application/json', ...auth(limited[1]!.key) }),
      ];
      // Retry-After counts the seconds left in each key's own window.
      const withoutRetryAfter = (answer: Answer) => comparable({ ...answer, headers: { ...answer.headers, 'retry-after': answer.headers['retry-after'] && 'n' } });
      expect(withoutRetryAfter(viaFast)).toEqual(withoutRetryAfter(viaYoga));
      expect(viaFast.status).toBe(round);
    }
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      for (const text of [
        '{ jobs { edges { node { model { id parameters { name } } } } } }',
        '{ a: models { id } b: models { id } c: models { id } d: models { id } }',
        '{ jobs(first: 100) { edges { node { images { id } } } } }',
      ]) {
        const answer = await both(JSON.stringify({ query: text }), { ...auth(key), accept });
        expect([answer.answer.status, answer.json.errors[0].extensions.code]).toEqual([400, 'OPERATION_LIMIT_EXCEEDED']);
      }
    }
    const readOnly = await fast.createKey(10, { scopes: ['read'] });
    const forbidden = await both(generate('x'), auth(readOnly.key));
    expect(forbidden.json.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('strings PostgreSQL cannot store, errors that must be masked', async () => {
    for (const prompt of ['nul \u0000 byte', 'lone \ud800 surrogate', 'x'.repeat(1000)]) {
      const answer = await both(generate(prompt), auth(key));
      expect(answer.fastPath).toBe(true);
    }
    const escaped = await both('{"query":"mutation($p: String!) { generateImage(input: { model: { placeholder: { prompt: $p } } }) { __typename } }","variables":{"p":"\\udfff"}}', auth(key));
    expect(escaped.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // Bytes that are not UTF-8 are read as U+FFFD on both paths (the value is quoted back in the error).
    const notUtf8 = Buffer.concat([
      Buffer.from('{"query":"query($n: Int) { jobs(first: $n) { edges { node { id } } } }","variables":{"n":"'),
      Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from('"}}'),
    ]);
    const decoded = await both(notUtf8, auth(key));
    expect([decoded.json.errors[0].message, decoded.fastPath]).toEqual([expect.stringContaining('\ufffd'), true]);
    const nul = await both(JSON.stringify({ query: '{ node(id: "\\u0000") { id } }' }), auth(key));
    expect([nul.answer.status, nul.json.errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
    // A resolver whose table is gone fails unexpectedly: clients see a masked error, never the database's words.
    const sql = fast.app.services.database.sql;
    await sql`alter table webhook_endpoints rename to webhook_endpoints_away`;
    try {
      for (const accept of ['application/json', 'application/graphql-response+json']) {
        const masked = await both(JSON.stringify({ query: '{ viewer { balance webhookEndpoints { id } } }' }), { ...auth(key), accept });
        expect([masked.json.errors[0].message, masked.fastPath]).toEqual(['Unexpected error.', true]);
        expect(masked.answer.body).not.toMatch(/webhook_endpoints|relation|does not exist/);
      }
    } finally {
      await sql`alter table webhook_endpoints_away rename to webhook_endpoints`;
    }
  });

  it('requests the fast path leaves to yoga: malformed JSON, batches, huge bodies, streams, other media types', async () => {
    const malformed = await both('{not json', auth(key));
    expect([malformed.answer.status, malformed.fastPath]).toEqual([400, false]);
    for (const body of ['null', '"text"', '[]', '\ufeff{"query":"{ viewer { balance } }"}']) await both(body, auth(key));
    const batch = await both(JSON.stringify([{ query: '{ viewer { balance } }' }, { query: '{ models { id } }' }]), auth(key));
    expect([batch.answer.status, batch.json.length, batch.fastPath]).toEqual([200, 2, false]);
    const huge = await both(generate('y'.repeat(5000)), auth(key));
    expect(huge.answer.status).toBe(413);
    const subscription = await both(JSON.stringify({ query: 'subscription { jobUpdated(id: "x") { type } }' }), { ...auth(key), accept: 'application/json' });
    expect(subscription.fastPath).toBe(false);
    for (const accept of ['text/event-stream', 'text/html', 'multipart/mixed']) await both(JSON.stringify({ query: '{ viewer { balance } }' }), { ...auth(key), accept });
    const form = await both('query=%7B%20viewer%20%7B%20balance%20%7D%20%7D', { ...auth(key), 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.fastPath).toBe(false);
  });

  it('a client that hangs up halfway through its body gets no answer, and the server goes on', async () => {
    const socket = connect(Number(new URL(fast.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}\r\nContent-Length: 500\r\n\r\n{"query":`);
    const answered: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => answered.push(chunk));
    socket.destroy();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Buffer.concat(answered).length).toBe(0);
    const next = await both(JSON.stringify({ query: '{ viewer { balance } }' }), auth(key));
    expect([next.answer.status, next.fastPath]).toEqual([200, true]);
  });

  it('persisted queries: misses, registrations, hits and wrong hashes', async () => {
    const query = '{ viewer { balance } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persisted = (extra: object) => JSON.stringify({ ...extra, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    const miss = await both(persisted({}), auth(key));
    expect(miss.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await both(persisted({ query }), auth(key));
    expect([registered.json.data.viewer.balance > 0, registered.fastPath]).toEqual([true, true]);
    const hit = await both(persisted({}), auth(key));
    expect([hit.json.data.viewer.balance > 0, hit.fastPath]).toEqual([true, true]);
    await both(JSON.stringify({ query: '{ models { id } }', extensions: { persistedQuery: { version: 1, sha256Hash } } }), auth(key));
    await both(JSON.stringify({ extensions: { persistedQuery: { version: 2, sha256Hash } } }), auth(key));
  });

  it('a document the whole pipeline ran before skips its request hooks, parse and validation, and answers the same', async () => {
    const models = JSON.stringify({ query: 'query Prepared { models { id } viewer { balance } }', operationName: 'Prepared' });
    for (const accept of AcceptHeaders) {
      const headers = { ...auth(key), ...(accept ? { accept } : {}) };
      await both(models, headers);
      await both(generate('first fox'), headers);
      const again = await bothPrepared(models, headers);
      expect([again.answer.status, again.json.data.models.length > 0, again.prepared]).toEqual([200, true, true]);
      const submitted = await bothPrepared(generate('prepared fox'), headers);
      expect([submitted.json.data.generateImage.__typename, submitted.prepared]).toEqual(['GenerateImageSuccess', true]);
    }
    // Errors on the prepared path: the same status, headers and body as yoga's.
    const invalid = await bothPrepared(generate(''), auth(key));
    expect([invalid.json.data.generateImage.__typename, invalid.prepared]).toEqual(['ValidationError', true]);
    const coercion = JSON.stringify({ query: 'query($n: Int) { jobs(first: $n) { edges { node { id } } } }', variables: { n: 'many' } });
    await both(coercion, auth(key));
    const badVariable = await bothPrepared(coercion, auth(key));
    expect([badVariable.json.errors[0].message, badVariable.prepared]).toEqual([expect.stringContaining('$n'), true]);
    for (const headers of [{}, auth('wrong')]) {
      const refused = await bothPrepared(models, { ...headers, accept: 'application/graphql-response+json' });
      expect([refused.answer.status, refused.json.errors[0].extensions.code, refused.prepared]).toEqual([401, 'UNAUTHENTICATED', true]);
    }
    const nul = await bothPrepared(generate('a \u0000 byte'), auth(key));
    expect([nul.json.errors[0].extensions.code, nul.prepared]).toEqual(['BAD_USER_INPUT', true]);
    const unknownOperation = await bothPrepared(JSON.stringify({ query: 'query Prepared { models { id } viewer { balance } }', operationName: 'Other' }), auth(key));
    expect([unknownOperation.json.errors.length, unknownOperation.prepared]).toEqual([1, false]);
    const limited = await Promise.all([fast.createKey(10), fast.createKey(10)]);
    for (const created of limited) await fast.app.services.database.sql`update accounts set requests_per_minute = 1 where id = ${created.accountId}`;
    const balance = JSON.stringify({ query: 'query Balance { viewer { balance } }' });
    await both(balance, auth(key));
    for (const round of [200, 429]) {
      const before = await preparedCount();
      const [viaFast, viaYoga] = [
        await post(fast.url, balance, { 'content-type': 'application/json', ...auth(limited[0]!.key) }),
        await post(yoga.url, balance, { 'content-type': 'application/json', ...auth(limited[1]!.key) }),
      ];
      const withoutRetryAfter = (answer: Answer) => comparable({ ...answer, headers: { ...answer.headers, 'retry-after': answer.headers['retry-after'] && 'n' } });
      expect([viaFast.status, withoutRetryAfter(viaFast), (await preparedCount()) - before]).toEqual([round, withoutRetryAfter(viaYoga), 1]);
    }
    // A failure before execution (the key lookup) is masked as yoga masks it.
    const sql = fast.app.services.database.sql;
    await sql`alter table api_keys rename to api_keys_away`;
    try {
      const lost = await bothPrepared(models, auth('pk_live_never_seen'));
      expect([lost.json.errors[0].message, lost.prepared]).toEqual(['Unexpected error.', true]);
      expect(lost.answer.body).not.toMatch(/api_keys|relation|does not exist/);
    } finally {
      await sql`alter table api_keys_away rename to api_keys`;
    }
    // A failure while executing (a resolver's query) is masked as yoga masks it.
    const jobs = JSON.stringify({ query: 'query Jobs { jobs(first: 1) { edges { node { id } } } }' });
    await both(jobs, auth(key));
    await sql`alter table jobs rename to jobs_away`;
    try {
      const failed = await bothPrepared(jobs, auth(key));
      expect([failed.answer.status, failed.json.errors[0].message, failed.prepared]).toEqual([200, 'Unexpected error.', true]);
      expect(failed.answer.body).not.toMatch(/jobs_away|relation|does not exist/);
    } finally {
      await sql`alter table jobs_away rename to jobs`;
    }
  });

  it('introspection stays off on the prepared path', async () => {
    for (const query of ['{ __schema { types { name } } }', 'query Docs { models { id } __type(name: "Model") { name } }']) {
      for (let round = 0; round < 3; round++) {
        const answer = await bothPrepared(JSON.stringify({ query }), auth(key));
        expect([answer.json.errors[0].message, answer.prepared]).toEqual([expect.stringMatching(/introspection/i), false]);
      }
    }
  });

  it('generated variations of keys, Accept headers, prompts and documents', async () => {
    const keys = fc.constantFrom<string | undefined>(undefined, 'wrong', key);
    const accepts = fc.constantFrom(...AcceptHeaders, 'text/event-stream', 'application/*');
    const prompts = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
    const documents = fc.constantFrom(Submit, GENERATE, '{ viewer { balance } }', '{ models { id', 'query($x: String) { models { id } }');
    await fc.assert(
      fc.asyncProperty(keys, accepts, prompts, documents, async (apiKey, accept, prompt, document) => {
        const body = JSON.stringify({ query: document, variables: { input: { model: { placeholder: { prompt } } }, x: prompt } });
        await both(body, { ...(apiKey ? auth(apiKey) : {}), ...(accept ? { accept } : {}) });
      }),
      { numRuns: 60 },
    );
    // The parameters decide whether a prepared document may answer: operation names of any text
    // (NUL bytes, lone surrogates), other parameters with any value, variables of any type.
    const named = 'query Prepared { viewer { balance } } query Other { models { id } }';
    await both(JSON.stringify({ query: named, operationName: 'Prepared' }), auth(key));
    const operationNames = fc.oneof(fc.constantFrom(undefined, null, 'Prepared', 'Other', ''), fc.string({ unit: 'binary', maxLength: 12 }));
    const values = fc.oneof(fc.constantFrom(null, undefined, {}, [], 'x', 0, true), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ unit: 'binary', maxLength: 8 }), { maxKeys: 2 }));
    const extra = fc.option(fc.tuple(fc.constantFrom('extensions', 'variables', 'documentId', 'operationName'), values), { nil: undefined });
    let prepared = 0;
    await fc.assert(
      fc.asyncProperty(operationNames, extra, async (operationName, more) => {
        const params: Record<string, unknown> = { query: named, operationName };
        if (more) params[more[0]] = more[1];
        const answer = await bothPrepared(JSON.stringify(params), auth(key));
        if (answer.prepared) prepared++;
      }),
      { numRuns: 80 },
    );
    expect(prepared).toBeGreaterThan(0);
  });
});
