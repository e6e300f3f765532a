import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFetch, SafeFetchError, type SafeFetchOptions } from '../../src/net/safe-fetch.js';
import { makeImage, startLocalServer, type LocalServer } from './support.js';

/**
 * The SSRF guard against real HTTP servers on loopback. Tests that need a "public" first hop
 * treat exactly 127.0.0.1 as public (`isAllowedAddress`), which is what lets them prove that a
 * redirect onward to another internal address is refused.
 */

let picture: Buffer;
let origin: LocalServer;
let secret: LocalServer;
const limits = { maxBytes: 1024 * 1024, timeoutMs: 5000 };
const onlyThisLoopback: Pick<SafeFetchOptions, 'isAllowedAddress'> = { isAllowedAddress: (address) => address === '127.0.0.1' };

beforeAll(async () => {
  picture = await makeImage('png');
  // The "internal" service an attacker would like to reach, on another loopback address.
  secret = await startLocalServer((_request, response) => response.end('internal secret'), '127.0.0.2');
  origin = await startLocalServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://origin');
    if (url.pathname === '/picture.png') return void response.writeHead(200, { 'content-type': 'image/png' }).end(picture);
    if (url.pathname === '/redirect') return void response.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    if (url.pathname === '/loop') return void response.writeHead(301, { location: '/loop' }).end();
    if (url.pathname === '/big') return void response.writeHead(200, { 'content-length': String(2 * 1024 * 1024) }).end(Buffer.alloc(2 * 1024 * 1024));
    if (url.pathname === '/big-chunked') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let chunk = 0; chunk < 32; chunk += 1) response.write(Buffer.alloc(64 * 1024));
      return void response.end();
    }
    if (url.pathname === '/hang') return; // never answers
    response.writeHead(404).end('not here');
  });
});
afterAll(async () => {
  await origin?.close();
  await secret?.close();
});

async function refusal(promise: Promise<unknown>): Promise<SafeFetchError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SafeFetchError);
  return error as SafeFetchError;
}

describe('safeFetch', () => {
  it('downloads from a private address only when ALLOW_PRIVATE_URLS lifts the rule', async () => {
    const response = await safeFetch(`${origin.url}/picture.png`, { ...limits, allowPrivate: true });
    expect(response.status).toBe(200);
    expect(Buffer.from(response.bytes).equals(picture)).toBe(true);
  });

  it('refuses loopback, IPv6 loopback, IPv4-mapped, private and metadata targets before connecting', async () => {
    const targets = [
      `${origin.url}/picture.png`,
      `http://localhost:${origin.port}/picture.png`,
      `http://[::1]:${origin.port}/picture.png`,
      `http://[::ffff:127.0.0.1]:${origin.port}/picture.png`,
      `http://[::ffff:7f00:2]:${secret.port}/`,
      `http://2130706433:${origin.port}/picture.png`, // 127.0.0.1 written as a number
      `http://0x7f.0.0.1:${origin.port}/picture.png`,
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[64:ff9b::a9fe:a9fe]/',
    ];
    for (const target of targets) {
      const error = await refusal(safeFetch(target, limits));
      expect(error.code, target).toBe('URL_NOT_ALLOWED');
    }
    expect(secret.requests).toEqual([]);
    expect(origin.requests.filter((request) => request.url === '/picture.png')).toHaveLength(1); // only the allowPrivate test
  });

  it('refuses redirects to internal addresses, checking every hop', async () => {
    const before = origin.requests.length;
    const internalTargets = [
      `http://127.0.0.2:${secret.port}/`,
      `http://[::ffff:127.0.0.2]:${secret.port}/`,
      `http://[::1]:${secret.port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://192.168.0.1/admin',
      'file:///etc/passwd',
    ];
    for (const target of internalTargets) {
      const error = await refusal(safeFetch(`${origin.url}/redirect?to=${encodeURIComponent(target)}`, { ...limits, ...onlyThisLoopback }));
      expect(error.code, target).toBe('URL_NOT_ALLOWED');
    }
    expect(origin.requests.length - before).toBe(internalTargets.length);
    expect(secret.requests).toEqual([]);
  });

  it('follows redirects between allowed addresses', async () => {
    const response = await safeFetch(`${origin.url}/redirect?to=${encodeURIComponent('/redirect?to=/picture.png')}`, { ...limits, ...onlyThisLoopback });
    expect(response.url).toBe(`${origin.url}/picture.png`);
    expect(Buffer.from(response.bytes).equals(picture)).toBe(true);
  });

  it('refuses a host name that resolves to an internal address', async () => {
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const error = await refusal(safeFetch(`http://images.example.test:${origin.port}/picture.png`, { ...limits, resolve }));
    expect(error.code).toBe('URL_NOT_ALLOWED');
    expect(error.message).toMatch(/loopback/);
    // One internal answer among public ones is enough to refuse.
    const mixed = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ];
    expect((await refusal(safeFetch(`http://mixed.example.test:${origin.port}/`, { ...limits, resolve: mixed, ...onlyThisLoopback }))).code).toBe('URL_NOT_ALLOWED');
  });

  it('resolves once and connects to the checked address (no DNS rebinding)', async () => {
    let lookups = 0;
    // A rebinding resolver: a harmless answer for the check, an internal one afterwards.
    const resolve = async () => (lookups++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '127.0.0.2', family: 4 }]);
    const response = await safeFetch(`http://images.example.test:${origin.port}/picture.png`, { ...limits, resolve, ...onlyThisLoopback });
    expect(Buffer.from(response.bytes).equals(picture)).toBe(true);
    expect(lookups).toBe(1);
    expect(origin.requests.at(-1)).toEqual({ url: '/picture.png', host: `images.example.test:${origin.port}` });
    expect(secret.requests).toEqual([]);
  });

  it('caps the size, declared or streamed', async () => {
    for (const path of ['/big', '/big-chunked']) {
      const error = await refusal(safeFetch(`${origin.url}${path}`, { ...limits, allowPrivate: true }));
      expect(error.code, path).toBe('MEDIA_TOO_LARGE');
    }
  });

  it('caps the time, and gives up on redirect loops and error statuses', async () => {
    const started = Date.now();
    const timeout = await refusal(safeFetch(`${origin.url}/hang`, { ...limits, timeoutMs: 300, allowPrivate: true }));
    expect(timeout).toMatchObject({ code: 'MEDIA_FETCH_FAILED', retryable: true });
    expect(Date.now() - started).toBeLessThan(3000);

    expect(await refusal(safeFetch(`${origin.url}/loop`, { ...limits, allowPrivate: true }))).toMatchObject({ code: 'MEDIA_FETCH_FAILED', message: expect.stringMatching(/redirects/) });
    expect(await refusal(safeFetch(`${origin.url}/missing`, { ...limits, allowPrivate: true }))).toMatchObject({ code: 'MEDIA_FETCH_FAILED', status: 404, retryable: false });
  });

  it("rethrows the caller's cancellation as is", async () => {
    const controller = new AbortController();
    const reason = new Error('job canceled');
    const pending = safeFetch(`${origin.url}/hang`, { ...limits, allowPrivate: true, signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('refuses other schemes and embedded credentials', async () => {
    for (const target of ['ftp://example.com/a.png', 'file:///etc/passwd', 'gopher://example.com/', 'http://user:secret@example.com/a.png', 'not a url']) {
      expect((await refusal(safeFetch(target, limits))).code, target).toBe('URL_NOT_ALLOWED');
    }
  });
});
