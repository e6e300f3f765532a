import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';

/** One request as the receiver saw it. */
interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  payload: any;
}

type Responder = (request: Received, index: number) => number | Promise<number>;

/** A real HTTP receiver on 127.0.0.1: records every request, answers per path (200 by default). */
class Receiver {
  readonly requests: Received[] = [];
  private readonly responders = new Map<string, Responder>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        const received: Received = { path: request.url ?? '/', headers, body, payload: JSON.parse(body) };
        const index = receiver.at(received.path).length;
        receiver.requests.push(received);
        void Promise.resolve((receiver.responders.get(received.path) ?? (() => 200))(received, index)).then((status) => {
          if (!response.destroyed) response.writeHead(status).end();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  respond(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  at(path: string): Received[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Waits until `path` received a message of `type` (e.g. `job.succeeded`) for `jobId`. */
  received(path: string, type: string, jobId: string): Promise<Received> {
    return waitFor(() => this.at(path).find((request) => request.payload.type === type && request.payload.data.jobId === jobId), `${type} at ${path}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const AllEvents = ['QUEUED', 'STARTED', 'PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'];
const FastRetries = { WEBHOOK_RETRY_SCHEDULE: '30ms,30ms,30ms', WEBHOOK_POLL_MS: '20' };

const DELIVERIES = `query($id: ID!) { job(id: $id) { status webhook { url events disabled }
  webhookDeliveries { id webhookId eventType endpointId attempt status responseCode latencyMs nextRetryAt lastError replayOf } } }`;

let test: TestApp;
let receiver: Receiver;
const children: ChildProcess[] = [];
const extraApps: TestApp[] = [];

beforeAll(async () => {
  receiver = await Receiver.start();
  test = await startTestApp({ ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '5000', ...FastRetries });
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver?.close();
  await Promise.all([test, ...extraApps].map((app) => app?.stop()));
});

async function account(target: TestApp = test) {
  const { key } = await target.createKey(1000);
  const { body } = await target.graphql('{ viewer { webhookSecret } }', {}, key);
  return { key, secret: body.data.viewer.webhookSecret as string };
}

async function deliveriesOf(target: TestApp, key: string, jobId: string) {
  const { body } = await target.graphql(DELIVERIES, { id: jobId }, key);
  return body.data.job as { status: string; webhook: any; webhookDeliveries: any[] };
}

const types = (requests: Received[]) => requests.map((request) => request.payload.type);

describe('per-job webhooks', () => {
  it("signs every delivery with the account's secret and sends the job's events in order", async () => {
    const { key, secret } = await account();
    expect(secret).toMatch(/^whsec_/);
    const job = await generatePlaceholder(test, key, { steps: 3, stepMs: 20 }, { webhook: { url: receiver.url('/signed'), events: AllEvents } });
    await receiver.received('/signed', 'job.succeeded', job.id);

    const requests = receiver.at('/signed');
    for (const request of requests) {
      // The library's own verifier: signature, id and a fresh timestamp.
      expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(request.payload);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.payload.data.jobId).toBe(job.id);
      expect(request.payload.data.job.id).toBe(job.id);
    }
    const sent = types(requests);
    expect(sent.slice(0, 2)).toEqual(['job.queued', 'job.started']);
    expect(sent.at(-1)).toBe('job.succeeded');
    expect(sent.slice(2, -1).length).toBeGreaterThan(0);
    expect(new Set(sent.slice(2, -1))).toEqual(new Set(['job.progress']));
    const progress = requests.map((request) => request.payload.data.progress);
    expect(progress).toEqual([...progress].sort((left, right) => left - right));
    expect(new Set(requests.map((request) => request.headers['webhook-id'])).size).toBe(requests.length);
    const completed = requests.at(-1)!.payload;
    expect(completed.data).toMatchObject({ type: 'SUCCEEDED', status: 'SUCCEEDED', progress: 1, job: { status: 'SUCCEEDED' } });
    expect(completed.data.job.images).toHaveLength(1);
    expect(typeof completed.data.cursor).toBe('string');

    // The receiver has the last request; the dispatcher records its answer just after.
    const settled = (delivery: { status: string }) => ['DELIVERED', 'SUPERSEDED'].includes(delivery.status);
    const status = await waitFor(async () => {
      const current = await deliveriesOf(test, key, job.id);
      return current.webhookDeliveries.every(settled) && current;
    }, 'the deliveries to be recorded');
    expect(status.webhook).toEqual({ url: receiver.url('/signed'), events: AllEvents, disabled: false });
    const delivered = status.webhookDeliveries.filter((delivery) => delivery.status === 'DELIVERED');
    expect(delivered.map((delivery) => delivery.webhookId)).toEqual(requests.map((request) => request.headers['webhook-id']));
    for (const delivery of delivered) expect(delivery).toMatchObject({ attempt: 1, responseCode: 200, nextRetryAt: null, endpointId: null });
  });

  it('retries a 500 with the same webhook-id, and sends nothing later for the job before the earlier event is delivered', async () => {
    const { key, secret } = await account();
    // Every message fails its first attempt.
    const seen = new Set<string>();
    receiver.respond('/flaky', (request) => {
      const id = request.headers['webhook-id']!;
      if (seen.has(id)) return 200;
      seen.add(id);
      return 500;
    });
    const job = await generatePlaceholder(test, key, {}, { webhook: { url: receiver.url('/flaky'), events: ['QUEUED', 'STARTED', 'SUCCEEDED'] } });
    await waitFor(() => receiver.at('/flaky').length === 6, 'three messages, each retried once');
    const requests = receiver.at('/flaky');
    expect(types(requests)).toEqual(['job.queued', 'job.queued', 'job.started', 'job.started', 'job.succeeded', 'job.succeeded']);
    const ids = requests.map((request) => request.headers['webhook-id']);
    expect([ids[0] === ids[1], ids[2] === ids[3], ids[4] === ids[5]]).toEqual([true, true, true]);
    expect(new Set(ids).size).toBe(3);
    // Each attempt is signed afresh and verifies.
    for (const request of requests) expect(() => new Webhook(secret).verify(request.body, request.headers)).not.toThrow();
    expect(requests[0]!.body).toBe(requests[1]!.body);

    const status = await waitFor(async () => {
      const current = await deliveriesOf(test, key, job.id);
      return current.webhookDeliveries.every((delivery) => delivery.status === 'DELIVERED') && current;
    }, 'deliveries recorded');
    expect(status.webhookDeliveries.map((delivery) => [delivery.eventType, delivery.attempt, delivery.responseCode])).toEqual([
      ['QUEUED', 2, 200],
      ['STARTED', 2, 200],
      ['SUCCEEDED', 2, 200],
    ]);
  });

  it('coalesces progress for a slow receiver: the latest progress, then the terminal event', async () => {
    const { key } = await account();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    receiver.respond('/slow', async (_request, index) => {
      if (index === 0) await released;
      return 200;
    });
    const job = await generatePlaceholder(test, key, { steps: 12, stepMs: 10 }, { webhook: { url: receiver.url('/slow'), events: ['QUEUED', 'STARTED', 'PROGRESS', 'SUCCEEDED'] } });
    // The receiver sits on the first delivery until every event of the job is queued for it.
    await waitFor(async () => (await deliveriesOf(test, key, job.id)).webhookDeliveries.some((delivery) => delivery.eventType === 'SUCCEEDED'), 'all deliveries created');
    release();
    await receiver.received('/slow', 'job.succeeded', job.id);

    const requests = receiver.at('/slow');
    expect(types(requests)).toEqual(['job.queued', 'job.started', 'job.progress', 'job.succeeded']);
    const sql = test.app.services.database.sql;
    const [log] = await sql<{ count: number; latest: number }[]>`
      select count(*)::int as count, (array_agg(progress order by xid, id))[count(*)] as latest
      from job_events where job_id = ${job.id} and type = 'PROGRESS'`;
    expect(log!.count).toBeGreaterThan(2);
    expect(requests[2]!.payload.data.progress).toBe(log!.latest);
    const status = await deliveriesOf(test, key, job.id);
    expect(status.webhookDeliveries.filter((delivery) => delivery.status === 'SUPERSEDED')).toHaveLength(log!.count - 1);
  });

  it('signs with both the new and the previous secret during the overlap after a rotation', async () => {
    const { key, secret: previous } = await account();
    const { body } = await test.graphql('mutation { rotateWebhookSecret { secret previousSecretExpiresAt } }', {}, key);
    const rotated = body.data.rotateWebhookSecret;
    expect(rotated.secret).not.toBe(previous);
    expect(new Date(rotated.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await test.graphql('{ viewer { webhookSecret } }', {}, key)).body.data.viewer.webhookSecret).toBe(rotated.secret);

    const job = await generatePlaceholder(test, key, {}, { webhook: { url: receiver.url('/rotated') } });
    const request = await receiver.received('/rotated', 'job.succeeded', job.id);
    const signatures = request.headers['webhook-signature']!.split(' ');
    expect(signatures).toHaveLength(2);
    // Each signature verifies with exactly its own secret.
    for (const [index, secret] of [rotated.secret, previous].entries()) {
      expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(request.payload);
      const alone = { ...request.headers, 'webhook-signature': signatures[index]! };
      expect(() => new Webhook(secret).verify(request.body, alone)).not.toThrow();
      const other = { ...request.headers, 'webhook-signature': signatures[1 - index]! };
      expect(() => new Webhook(secret).verify(request.body, other)).toThrow();
    }
  });

  it('replays a delivery with the same webhook-id and body', async () => {
    const { key } = await account();
    const job = await generatePlaceholder(test, key, {}, { webhook: { url: receiver.url('/replay'), events: ['SUCCEEDED'] } });
    const first = await receiver.received('/replay', 'job.succeeded', job.id);
    const [delivery] = (
      await waitFor(async () => {
        const current = await deliveriesOf(test, key, job.id);
        return current.webhookDeliveries[0]?.status === 'DELIVERED' && current;
      }, 'the delivery recorded')
    ).webhookDeliveries;
    const { body } = await test.graphql('mutation($id: ID!) { replayWebhook(deliveryId: $id) { id webhookId status replayOf } }', { id: delivery.id }, key);
    expect(body.data.replayWebhook).toMatchObject({ webhookId: delivery.webhookId, replayOf: delivery.id });
    await waitFor(() => receiver.at('/replay').length === 2, 'the replay');
    const again = receiver.at('/replay')[1]!;
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(again.body).toBe(first.body);
    // Another account cannot replay it.
    const stranger = await account();
    expect((await test.graphql('mutation($id: ID!) { replayWebhook(deliveryId: $id) { id } }', { id: delivery.id }, stranger.key)).body.data.replayWebhook).toBeNull();
  });
});

describe('deliveries found by wake-ups', () => {
  // A pass woken by job events claims deliveries only when one may have become due; these run with
  // a poll interval of ten minutes, so every delivery here must be found through a wake-up.
  const NoPolling = { ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_POLL_MS: '600000' };
  // Far below the poll interval, with room for a loaded machine.
  const soon = 20_000;

  it('sends each event of a job in order and a replay at once, without waiting for the poll', async () => {
    const app = await startTestApp(NoPolling);
    extraApps.push(app);
    const { key } = await account(app);
    // Jobs without a webhook wake the dispatcher with events that plan nothing.
    await Promise.all([generatePlaceholder(app, key), generatePlaceholder(app, key)]);
    const job = await generatePlaceholder(app, key, {}, { webhook: { url: receiver.url('/woken'), events: ['QUEUED', 'STARTED', 'SUCCEEDED'] } });
    await waitFor(() => receiver.at('/woken').length === 3, 'the three messages', soon);
    expect(types(receiver.at('/woken'))).toEqual(['job.queued', 'job.started', 'job.succeeded']);

    const delivered = await waitFor(
      async () => {
        const current = await deliveriesOf(app, key, job.id);
        return current.webhookDeliveries.every((delivery) => delivery.status === 'DELIVERED') && current.webhookDeliveries;
      },
      'the deliveries recorded',
      soon,
    );
    const { body } = await app.graphql('mutation($id: ID!) { replayWebhook(deliveryId: $id) { id } }', { id: delivered[2].id }, key);
    expect(body.data.replayWebhook).toBeTruthy();
    await waitFor(() => receiver.at('/woken').length === 4, 'the replay', soon);
    expect(receiver.at('/woken')[3]!.headers['webhook-id']).toBe(delivered[2].webhookId);
  });

  it('sends the events a long transaction held back as soon as it ends, without waiting for the poll', async () => {
    const app = await startTestApp(NoPolling);
    extraApps.push(app);
    const { key } = await account(app);
    // An older writing transaction still open (a migration, a bulk import, another tenant's long
    // write): the job's events commit after it started, so they are read only once it has ended,
    // and no job write is left to wake the dispatcher when it does.
    const held = await app.app.services.database.sql.reserve();
    try {
      await held`begin`;
      await held`select pg_current_xact_id()`;
      const job = await generatePlaceholder(app, key, {}, { webhook: { url: receiver.url('/held'), events: ['QUEUED', 'SUCCEEDED'] } });
      await waitFor(async () => (await deliveriesOf(app, key, job.id)).status === 'SUCCEEDED', 'the job to succeed', soon);
      expect(receiver.at('/held')).toEqual([]);
      await held`commit`;
    } finally {
      held.release();
    }
    await waitFor(() => receiver.at('/held').length === 2, 'the two messages', soon);
    expect(types(receiver.at('/held'))).toEqual(['job.queued', 'job.succeeded']);
  });
});

const ENDPOINT_FIELDS = 'id url description events enabled disabledReason';

describe('account endpoints', () => {
  it('sends every job of the account to an endpoint signed with its own secret; a 410 disables it', async () => {
    const { key, secret: accountSecret } = await account();
    // COMPLETED, the name from before events were named by job status, is still taken as SUCCEEDED.
    const created = await test.graphql(
      `mutation($url: String!) { createWebhookEndpoint(url: $url, events: [COMPLETED], description: "ops") { secret endpoint { ${ENDPOINT_FIELDS} } } }`,
      { url: receiver.url('/endpoint') },
      key,
    );
    const { secret, endpoint } = created.body.data.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: receiver.url('/endpoint'), description: 'ops', events: ['SUCCEEDED'], enabled: true, disabledReason: null });
    expect((await test.graphql(`{ viewer { webhookEndpoints { ${ENDPOINT_FIELDS} } } }`, {}, key)).body.data.viewer.webhookEndpoints).toEqual([endpoint]);

    const job = await generatePlaceholder(test, key);
    const request = await receiver.received('/endpoint', 'job.succeeded', job.id);
    expect(new Webhook(secret).verify(request.body, request.headers)).toEqual(request.payload);
    expect(() => new Webhook(accountSecret).verify(request.body, request.headers)).toThrow();
    expect(types(receiver.at('/endpoint'))).toEqual(['job.succeeded']);

    // The receiver says the endpoint is gone: it is disabled, not retried.
    receiver.respond('/endpoint', () => 410);
    const second = await generatePlaceholder(test, key);
    const disabled = await waitFor(async () => {
      const [current] = (await test.graphql(`{ viewer { webhookEndpoints { ${ENDPOINT_FIELDS} } } }`, {}, key)).body.data.viewer.webhookEndpoints;
      return !current.enabled && current;
    }, 'the endpoint to be disabled');
    expect(disabled.disabledReason).toMatch(/410/);
    expect((await deliveriesOf(test, key, second.id)).webhookDeliveries).toMatchObject([{ status: 'FAILED', responseCode: 410, attempt: 1, endpointId: endpoint.id }]);

    // Later jobs are not sent to it (the job's own webhook shows the event was dispatched).
    const third = await generatePlaceholder(test, key, {}, { webhook: { url: receiver.url('/after-410'), events: ['SUCCEEDED'] } });
    await receiver.received('/after-410', 'job.succeeded', third.id);
    expect((await deliveriesOf(test, key, third.id)).webhookDeliveries.map((delivery) => delivery.endpointId)).toEqual([null]);
    expect(receiver.at('/endpoint')).toHaveLength(2);

    // Re-enabled, updated and deleted.
    const updated = await test.graphql(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, enabled: true, events: [SUCCEEDED, FAILED], description: "ops 2") { ${ENDPOINT_FIELDS} } }`,
      { id: endpoint.id },
      key,
    );
    expect(updated.body.data.updateWebhookEndpoint).toMatchObject({ enabled: true, disabledReason: null, events: ['SUCCEEDED', 'FAILED'], description: 'ops 2' });
    expect((await test.graphql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }', { id: endpoint.id }, key)).body.data.deleteWebhookEndpoint).toBe(true);
    expect((await test.graphql(`{ viewer { webhookEndpoints { id } } }`, {}, key)).body.data.viewer.webhookEndpoints).toEqual([]);
  });

  it('counts deliveries on /metrics', async () => {
    const text = await (await fetch(`${test.url}/metrics`)).text();
    expect(Number(/pictor_webhook_attempts_total\{outcome="delivered"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/pictor_webhook_attempts_total\{outcome="retry"\} (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/pictor_webhook_deliveries_superseded_total (\d+)/.exec(text)?.[1])).toBeGreaterThan(0);
  });
});

describe('URL rules', () => {
  it('requires https outside development and refuses private addresses at submit', async () => {
    const production = await startTestApp({ NODE_ENV: 'production', ROLE: 'api', SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
    extraApps.push(production);
    const { key } = await production.createKey(100);
    const submit = async (url: string) => {
      const { body } = await production.graphql(
        'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on ValidationError { issues { path message } } } }',
        { input: { model: { placeholder: { prompt: 'x' } }, webhook: { url } } },
        key,
      );
      return body.data.generateImage;
    };
    expect(await submit('http://hooks.example.com/pictor')).toEqual({ __typename: 'ValidationError', issues: [{ path: ['webhook', 'url'], message: expect.stringMatching(/https/) }] });
    for (const url of ['https://127.0.0.1/hook', 'https://[::1]/hook', 'https://169.254.169.254/latest/meta-data', 'https://10.1.2.3/', 'https://localhost/hook', 'https://[::ffff:192.168.0.1]/']) {
      expect(await submit(url), url).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['webhook', 'url'] }] });
    }
    expect(await submit('https://user:password@hooks.example.com/')).toMatchObject({ __typename: 'ValidationError' });
    expect(await submit('https://hooks.example.com/pictor')).toEqual({ __typename: 'GenerateImageSuccess' });
    const endpoint = await production.graphql('mutation { createWebhookEndpoint(url: "http://hooks.example.com/") { secret } }', {}, key);
    expect(endpoint.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const privateEndpoint = await production.graphql('mutation { createWebhookEndpoint(url: "https://192.168.1.10/") { secret } }', {}, key);
    expect(privateEndpoint.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses private targets again at delivery time without ALLOW_PRIVATE_URLS', async () => {
    const databaseUrl = await createTestDatabase();
    // Accepted by an API that allows private URLs, delivered by a worker that does not.
    const api = await startTestApp({ ROLE: 'api', ALLOW_PRIVATE_URLS: 'true' }, { databaseUrl });
    extraApps.push(api);
    const worker = await startTestApp({ ROLE: 'worker', ...FastRetries }, { databaseUrl });
    extraApps.push(worker);
    const { key } = await account(api);
    await api.graphql('mutation($url: String!) { createWebhookEndpoint(url: $url) { secret } }', { url: receiver.url('/private-endpoint') }, key);
    const job = await generatePlaceholder(api, key, {}, { webhook: { url: receiver.url('/private') } });
    const status = await waitFor(async () => {
      const current = await deliveriesOf(api, key, job.id);
      return current.webhookDeliveries.length === 2 && current.webhookDeliveries.every((delivery) => delivery.status === 'FAILED') && current;
    }, 'both deliveries refused');
    for (const delivery of status.webhookDeliveries) expect(delivery).toMatchObject({ attempt: 1, responseCode: null, lastError: expect.stringMatching(/not allowed.*loopback/) });
    expect(receiver.at('/private')).toHaveLength(0);
    expect(receiver.at('/private-endpoint')).toHaveLength(0);
  });
});

describe('a worker killed while delivering', () => {
  it('loses nothing: every event is delivered, each under one webhook-id, after another worker takes over', async () => {
    const databaseUrl = await createTestDatabase();
    const api = await startTestApp({ ROLE: 'api', ALLOW_PRIVATE_URLS: 'true' }, { databaseUrl });
    extraApps.push(api);
    const { key } = await account(api);
    // The first STARTED delivery never gets an answer: the worker dies while it is in flight.
    receiver.respond('/crash', (request, index) => (request.payload.type === 'job.started' && index === 1 ? new Promise<number>(() => undefined) : 200));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        ROLE: 'worker',
        DATABASE_URL: databaseUrl,
        DATA_DIR: api.dataDir,
        LOG_LEVEL: 'error',
        PROGRESS_INTERVAL_MS: '0',
        JOB_LEASE_MS: '1000',
        ALLOW_PRIVATE_URLS: 'true',
        WEBHOOK_TIMEOUT_MS: '1000',
        ...FastRetries,
      },
      stdio: 'ignore',
    });
    children.push(child);
    const job = await generatePlaceholder(api, key, { steps: 100, stepMs: 50 }, { webhook: { url: receiver.url('/crash'), events: ['QUEUED', 'STARTED', 'SUCCEEDED', 'FAILED'] } });
    await receiver.received('/crash', 'job.started', job.id);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // Make the rerun short, then let a healthy worker take over the job and the deliveries.
    await api.app.services.database.sql`update jobs set params = params || '{"steps": 2, "stepMs": 0}'::jsonb where id = ${job.id}`;
    const worker = await startTestApp({ ROLE: 'worker', JOB_LEASE_MS: '1000', ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '1000', ...FastRetries }, { databaseUrl });
    extraApps.push(worker);
    await receiver.received('/crash', 'job.succeeded', job.id);

    const sql = api.app.services.database.sql;
    const events = await sql<{ id: number; type: string }[]>`
      select id, type from job_events where job_id = ${job.id} and type in ('QUEUED', 'STARTED', 'SUCCEEDED', 'FAILED') order by xid, id`;
    expect(events.map((event) => event.type)).toEqual(['QUEUED', 'STARTED', 'STARTED', 'SUCCEEDED']);
    // The receiver has the last message before the worker records its answer: wait for that record.
    await waitFor(async () => (await sql`select 1 from webhook_deliveries where job_id = ${job.id} and status in ('pending', 'sending')`).length === 0, 'the deliveries to be recorded');
    // Exactly one delivery per event, whoever created it.
    const rows = await sql<{ eventId: number; webhookId: string; status: string }[]>`
      select event_id, webhook_id, status from webhook_deliveries where job_id = ${job.id} order by seq`;
    expect(rows.map((row) => row.eventId)).toEqual(events.map((event) => event.id));
    expect(rows.every((row) => row.status === 'delivered')).toBe(true);
    // The receiver got every message; only the one in flight when the worker died came twice, with the same id.
    const received = receiver.at('/crash').map((request) => request.headers['webhook-id']);
    expect([...new Set(received)]).toEqual(rows.map((row) => row.webhookId));
    expect(received).toEqual([rows[0]!.webhookId, rows[1]!.webhookId, rows[1]!.webhookId, rows[2]!.webhookId, rows[3]!.webhookId]);
    // Two server processes start (a tsx child and an in-process worker) and a lease expires: under a
    // loaded parallel run that has taken longer than the default 60 s.
  }, 150_000);
});
