import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { connect, runMigrations } from '../src/db/client.js';
import { appendJobEvent } from '../src/jobs/events.js';
import { collect, generatePlaceholder, JOB_UPDATED, startTestApp, waitFor, type TestApp } from './support/app.js';

let test: TestApp;
let key: string;

beforeAll(async () => {
  test = await startTestApp({ ROLE: 'api' });
  key = (await test.createKey(1000)).key;
});
afterAll(() => test?.stop());

/** Iterates a subscription in the background, recording every message. */
function record(client: ReturnType<TestApp['wsClient']>, query: string, variables: Record<string, unknown>) {
  const items: any[] = [];
  const iterator = client.iterate<any>({ query, variables });
  const done = (async () => {
    for await (const result of iterator) {
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      items.push(result.data);
    }
  })();
  return { items, done, stop: () => iterator.return?.() };
}

describe('the event log under concurrent commits', () => {
  it('delivers an event whose transaction started earlier but committed later, in log order', async () => {
    const job = await generatePlaceholder(test, key);
    const { accountId } = (await test.graphql('{ viewer { accountId } }', {}, key)).body.data.viewer;
    const stream = record(test.wsClient(key), JOB_UPDATED, { id: job.id });
    await waitFor(() => stream.items.length >= 1, 'the snapshot');
    const sql = test.app.services.database.sql;
    const slow = await sql.reserve();
    try {
      // Transaction A takes its xid and writes first, but commits last.
      await slow`begin`;
      await appendJobEvent(slow, { jobId: job.id, accountId, type: 'PROGRESS', status: 'QUEUED', progress: 0.25, stage: 'early-writer' });
      await sql.begin((tx) => appendJobEvent(tx, { jobId: job.id, accountId, type: 'PROGRESS', status: 'QUEUED', progress: 0.5, stage: 'late-writer' }));
      // Let the poller pass over the log several times while A is still open.
      const passes = test.app.services.hub.poller.queries;
      await waitFor(() => test.app.services.hub.poller.queries >= passes + 4, 'poller passes');
      expect(stream.items.map((item) => item.jobUpdated.stage)).not.toContain('late-writer');
      await slow`commit`;
    } finally {
      slow.release();
    }
    await waitFor(() => stream.items.length >= 3, 'both events');
    expect(stream.items.slice(1).map((item) => item.jobUpdated.stage)).toEqual(['early-writer', 'late-writer']);
    await stream.stop();
  });
});

describe('resuming a subscription', () => {
  it('replays exactly the missed updates after a cursor, then continues live', async () => {
    const worker = await startTestApp({ ROLE: 'worker' }, { databaseUrl: test.databaseUrl });
    try {
      const job = await generatePlaceholder(test, key, { steps: 6, stepMs: 40 });
      const complete = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id });
      const events = complete.slice(1);
      // A client that saw only the first two events resumes from the second one's cursor.
      const resumed = await collect<any>(test.wsClient(key), JOB_UPDATED, { id: job.id, after: events[1].jobUpdated.cursor });
      expect(resumed.map((item) => item.jobUpdated.cursor)).toEqual(events.slice(2).map((item) => item.jobUpdated.cursor));
      expect(resumed.at(-1).jobUpdated.type).toBe('SUCCEEDED');
    } finally {
      await worker.stop();
    }
  });

  it('rejects a cursor it did not issue', async () => {
    const job = await generatePlaceholder(test, key);
    await expect(collect(test.wsClient(key), JOB_UPDATED, { id: job.id, after: 'bogus' })).rejects.toThrow(/after/);
  });
});

describe('subscriber lifecycle', () => {
  it('releases subscriber state when a client leaves', async () => {
    const hub = test.app.services.hub;
    const before = hub.subscriberCount;
    const job = await generatePlaceholder(test, key);
    const client = test.wsClient(key);
    const streams = [record(client, JOB_UPDATED, { id: job.id }), record(client, 'subscription { jobsUpdated { type } }', {})];
    await waitFor(() => hub.subscriberCount === before + 2, 'two subscribers registered');
    await client.dispose();
    await waitFor(() => hub.subscriberCount === before, 'subscribers released');
    await Promise.allSettled(streams.map((stream) => stream.done));
  });
});

describe('Server-Sent Events', () => {
  it('streams jobUpdated over SSE until the terminal event', async () => {
    const worker = await startTestApp({ ROLE: 'worker' }, { databaseUrl: test.databaseUrl });
    try {
      // Long enough that the stream opens before the job ends, so it carries every event.
      const job = await generatePlaceholder(test, key, { steps: 3, stepMs: 100 });
      const response = await fetch(`${test.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: 'subscription($id: ID!) { jobUpdated(id: $id) { type progress } }', variables: { id: job.id } }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const text = await response.text();
      const types = [...text.matchAll(/"type":"(\w+)"/g)].map((match) => match[1]);
      expect(types[0]).toBe('SNAPSHOT');
      expect(types.at(-1)).toBe('SUCCEEDED');
    } finally {
      await worker.stop();
    }
  });
});

describe('database restart', () => {
  it('keeps open subscriptions alive and delivering after PostgreSQL restarts', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-restart-'));
    let server = await startEmbeddedPostgres({ dataDir });
    const setup = connect(server.url, { max: 1 });
    await runMigrations(setup);
    await setup.close();
    const own = await startTestApp({}, { databaseUrl: server.url });
    try {
      const ownKey = (await own.createKey(100)).key;
      const stream = record(own.wsClient(ownKey), 'subscription { jobsUpdated { type job { id } } }', {});
      await waitFor(() => own.app.services.hub.subscriberCount === 1, 'subscription registered');

      await server.stop();
      server = await startEmbeddedPostgres({ dataDir });
      // The API answers again once its pool reconnects; submit a job through it.
      const job = await waitFor(async () => generatePlaceholder(own, ownKey).catch(() => undefined), 'the API to reconnect');
      await waitFor(() => stream.items.some((item) => item.jobsUpdated.type === 'SUCCEEDED' && item.jobsUpdated.job.id === job.id), 'events after the restart');
      expect(stream.items.map((item) => item.jobsUpdated.type)[0]).toBe('QUEUED');
      await stream.stop();
    } finally {
      await own.stop();
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
