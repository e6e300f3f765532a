import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { SecretBox, sealPlainWebhookSecrets } from '../src/webhooks/secret-box.js';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from './support/app.js';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from './support/fake-upstream.js';

let test: TestApp;
let receiver: FakeUpstream;

beforeAll(async () => {
  receiver = await startFakeUpstream(() => ({ status: 204 }));
  test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_MS: '20' });
});
afterAll(async () => {
  await test?.stop();
  await receiver?.close();
});

const received = (pathname: string) => receiver.requests.filter((request) => request.path === pathname);
const verifies = (secret: string, request: RecordedRequest) => new Webhook(secret).verify(request.body.toString('utf8'), request.headers as Record<string, string>);

describe('webhook secrets at rest', () => {
  it('stores endpoint and account secrets encrypted; deliveries still verify with the secrets shown once', async () => {
    const { key, accountId } = await test.createKey(100);
    const created = (await test.graphql(`mutation { createWebhookEndpoint(url: "${receiver.url}/endpoint", events: [SUCCEEDED]) { secret endpoint { id } } }`, {}, key)).body.data
      .createWebhookEndpoint;
    const accountSecret = (await test.graphql('{ viewer { webhookSecret } }', {}, key)).body.data.viewer.webhookSecret;
    const rotated = (await test.graphql('mutation { rotateWebhookSecret { secret } }', {}, key)).body.data.rotateWebhookSecret.secret;
    const sql = test.app.services.database.sql;
    const rows = JSON.stringify([...(await sql`select * from webhook_endpoints where account_id = ${accountId}`), ...(await sql`select * from webhook_secrets where account_id = ${accountId}`)]);
    for (const secret of [created.secret, accountSecret, rotated]) {
      expect(secret).toMatch(/^whsec_/);
      // Neither the secret nor its key material (the base64 after the prefix) is in any column.
      expect(rows).not.toContain(secret.slice('whsec_'.length));
    }
    expect(rows).toContain('enc:v1:');

    const job = await generatePlaceholder(test, key, {}, { webhook: { url: `${receiver.url}/job`, events: ['SUCCEEDED'] } });
    const [endpointDelivery] = await waitFor(() => received('/endpoint').length > 0 && received('/endpoint'), 'the endpoint delivery');
    const [jobDelivery] = await waitFor(() => received('/job').length > 0 && received('/job'), 'the job delivery');
    expect((verifies(created.secret, endpointDelivery!) as any).data.jobId).toBe(job.id);
    // After a rotation both the new and (during the overlap) the previous account secret verify.
    expect((verifies(rotated, jobDelivery!) as any).data.jobId).toBe(job.id);
    expect((verifies(accountSecret, jobDelivery!) as any).data.jobId).toBe(job.id);
  });

  it('encrypts rows stored in plain text before, once, and they keep signing', async () => {
    const { key } = await test.createKey(100);
    const created = (await test.graphql(`mutation { createWebhookEndpoint(url: "${receiver.url}/legacy", events: [SUCCEEDED]) { secret endpoint { id } } }`, {}, key)).body.data.createWebhookEndpoint;
    const sql = test.app.services.database.sql;
    await sql`update webhook_endpoints set secret = ${created.secret} where id = ${created.endpoint.id}`;
    expect(await sealPlainWebhookSecrets(sql, test.app.services.secretBox)).toBe(1);
    expect(await sealPlainWebhookSecrets(sql, test.app.services.secretBox)).toBe(0);
    const [row] = await sql<{ secret: string }[]>`select secret from webhook_endpoints where id = ${created.endpoint.id}`;
    expect(row!.secret.startsWith('enc:v1:')).toBe(true);
    await generatePlaceholder(test, key);
    const [delivery] = await waitFor(() => received('/legacy').length > 0 && received('/legacy'), 'the legacy endpoint delivery');
    expect(() => verifies(created.secret, delivery!)).not.toThrow();
  });
});

describe('SecretBox and SECRETS_KEY', () => {
  it('round-trips any string, never stores it readable, and refuses another key', () => {
    const box = new SecretBox(randomBytes(32));
    const other = new SecretBox(randomBytes(32));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constant('\u0000'), fc.constant('x'.repeat(100_000))), (plain) => {
        const sealed = box.seal(plain);
        expect(box.open(sealed)).toBe(plain);
        expect(sealed.startsWith('enc:v1:')).toBe(true);
        if (plain.length >= 8) expect(sealed).not.toContain(plain);
        expect(() => other.open(sealed)).toThrow(/SECRETS_KEY/);
      }),
      { numRuns: 50 },
    );
    // A tampered value is refused (GCM), not opened into garbage.
    const sealed = box.seal('whsec_abc');
    const raw = Buffer.from(sealed.slice('enc:v1:'.length), 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(`enc:v1:${raw.toString('base64url')}`)).toThrow(/SECRETS_KEY/);
  });

  it('is required in production, checked for length, and generated into DATA_DIR in development', async () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEY: required/);
    expect(() => loadConfig({ SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/SECRETS_KEY: must be 32 bytes/);
    expect(loadConfig({ NODE_ENV: 'production', SECRETS_KEY: 'ab'.repeat(32) }).secretsKey).toEqual(Buffer.alloc(32, 0xab));
    const file = path.join(test.dataDir, 'secrets-key');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64')).toHaveLength(32);
  });
});
