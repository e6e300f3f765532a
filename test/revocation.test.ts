import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../src/accounts/api-keys.js';
import { startTestApp, waitFor, type TestApp } from './support/app.js';

let test: TestApp;
let admin: { key: string; accountId: string };

beforeAll(async () => {
  test = await startTestApp({ ROLE: 'api', REALTIME_KEY_CHECK_MS: '500' });
  admin = await test.createKey(100);
});
afterAll(() => test?.stop());

/** Opens an SSE subscription and resolves with everything it sent once the server ends it. */
function openSse(key: string) {
  const response = fetch(`${test.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: 'subscription { jobsUpdated { type } }' }),
    signal: AbortSignal.timeout(20_000),
  });
  return response.then((opened) => opened.text());
}

describe('revoking an API key', () => {
  it('ends its SSE and WebSocket subscriptions within seconds', async () => {
    const doomed = await createApiKey(test.app.services.database.sql, admin.accountId, { scopes: ['read'] });
    const hub = test.app.services.hub;
    const sse = openSse(doomed.key);
    const socketStream = test.wsClient(doomed.key).iterate({ query: 'subscription { jobsUpdated { type } }' });
    const socketDone = socketStream.next().then(
      () => 'completed',
      (error) => error,
    );
    await waitFor(() => hub.subscriberCount === 2, 'both subscriptions');
    const revoked = await test.graphql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: doomed.keyId }, admin.key);
    expect(revoked.body.data.revokeApiKey.revokedAt).not.toBeNull();
    const started = Date.now();
    const body = await sse;
    expect(body).toContain('API key revoked');
    expect(body).toContain('UNAUTHENTICATED');
    expect(await socketDone).toMatchObject({ code: 4403 });
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor(() => hub.subscriberCount === 0, 'subscriptions released');
  });

  it('ends them even when the revocation notice never reached this process', async () => {
    const doomed = await createApiKey(test.app.services.database.sql, admin.accountId, { scopes: ['read'] });
    const sse = openSse(doomed.key);
    await waitFor(() => test.app.services.hub.subscriberCount === 1, 'the subscription');
    // Revoked by another program (the CLI, SQL): no NOTIFY is sent.
    await revokeApiKey(test.app.services.database.sql, admin.accountId, doomed.keyId);
    expect(await sse).toContain('API key revoked');
    await waitFor(() => test.app.services.hub.subscriberCount === 0, 'subscription released');
  });
});
