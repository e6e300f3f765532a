import fc from 'fast-check';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { collect, startTestApp, type TestApp } from '../support/app.js';

/** What browsers and common GraphQL clients send, answered without hand-added headers. */

const FRONTEND = 'http://app.example.test:5173';
const OTHER = 'https://evil.example.test';
let test: TestApp;
let key: string;

beforeAll(async () => {
  test = await startTestApp({ CORS_ORIGINS: `${FRONTEND}, https://second.example.test` });
  key = (await test.createKey()).key;
});
afterAll(() => test?.stop());

function preflight(path: string, origin: string, headers = 'authorization, content-type, idempotency-key') {
  return fetch(`${test.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });
}

describe('CORS', () => {
  it('answers preflights from an allowed origin on GraphQL, files, media and REST paths', async () => {
    for (const path of ['/graphql', '/files/abc.png', '/v1/media', '/v1/images/generations', '/v2/images/generate', '/api/v1/image/generate', '/openapi.json']) {
      const response = await preflight(path, FRONTEND);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin'), path).toBe(FRONTEND);
      const allowed = response.headers.get('access-control-allow-headers')!.split(', ');
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'x-graphql-yoga-csrf', 'apollo-require-preflight']));
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('vary')).toContain('Origin');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('refuses preflights from origins not listed, and gives their requests no CORS headers', async () => {
    const refused = await preflight('/graphql', OTHER);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.text()).toContain('CORS_ORIGINS');

    const response = await fetch(`${test.url}/graphql`, {
      method: 'POST',
      headers: { origin: OTHER, 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: '{"query":"{ viewer { accountId } }"}',
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('adds the allowed origin to real responses of /graphql and /v1/media, with readable headers', async () => {
    const response = await fetch(`${test.url}/graphql`, {
      method: 'POST',
      headers: { origin: FRONTEND, 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: '{"query":"{ viewer { accountId } }"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(response.headers.get('access-control-expose-headers')).toContain('retry-after');
    const media = await fetch(`${test.url}/v1/media`, { method: 'POST', headers: { origin: 'https://second.example.test', authorization: `Bearer ${key}` }, body: 'not an image' });
    expect(media.status).toBe(415);
    expect(media.headers.get('access-control-allow-origin')).toBe('https://second.example.test');
  });

  it('checks the Origin of WebSocket upgrades: listed, same-origin and non-browser clients connect, others do not', async () => {
    const subscribe = (origin: string | undefined) => {
      const client = createClient({
        url: `${test.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, origin ? { origin } : {});
          }
        },
        lazy: true,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${key}` },
      });
      return collect<{ viewer: { accountId: string } }>(client, '{ viewer { accountId } }', {}).finally(() => client.dispose());
    };
    for (const origin of [FRONTEND, undefined, test.url]) {
      const [result] = await subscribe(origin);
      expect(result!.viewer.accountId).toEqual(expect.any(String));
    }
    await expect(subscribe(OTHER)).rejects.toBeDefined();
  });
});

describe('CSRF', () => {
  const viewerQuery = encodeURIComponent('{ viewer { accountId } }');

  it('lets requests authenticated by the Authorization header through without a CSRF header (urql GET, SSE)', async () => {
    const get = await fetch(`${test.url}/graphql?query=${viewerQuery}`, { headers: { authorization: `Bearer ${key}`, accept: 'application/graphql-response+json' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.viewer.accountId).toEqual(expect.any(String));

    const form = new FormData();
    form.append('operations', JSON.stringify({ query: '{ viewer { accountId } }' }));
    form.append('map', '{}');
    const multipart = await fetch(`${test.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    expect(multipart.status).toBe(200);
  });

  it('still refuses simple requests without Authorization or a CSRF header, which a foreign page could send', async () => {
    const get = await fetch(`${test.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json' } });
    expect(get.status).toBe(403);
    expect(((await get.json()) as any).errors[0].message).toContain('CSRF');
    const form = await fetch(`${test.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' });
    expect(form.status).toBe(403);
    const withHeader = await fetch(`${test.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' } });
    expect(withHeader.status).toBe(200);
  });
});

describe('CORS_ORIGINS configuration', () => {
  it('accepts origins, allows * only in development, and names the variable for anything else', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://A.example.com/, http://localhost:5173' }).corsOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => loadConfig({ CORS_ORIGINS: '*', NODE_ENV: 'production' })).toThrow(/CORS_ORIGINS: "\*" is for development only/);
    for (const bad of ['https://a.example.com/path', 'ftp://a.example.com', 'a.example.com', 'https://a.example.com?x=1']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\u0000', 'https://a.example.com\ud800', `https://${'a'.repeat(100_000)}.com`, 'x'.repeat(100_000), '2147483648', '9007199254740993')),
        (value) => {
          try {
            for (const origin of loadConfig({ CORS_ORIGINS: value }).corsOrigins) expect(origin === '*' || new URL(origin).origin === origin).toBe(true);
          } catch (error) {
            const message = (error as Error).message;
            expect(message).toMatch(/CORS_ORIGINS/);
            expect(message.length).toBeLessThan(400);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
