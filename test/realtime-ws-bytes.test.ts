import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { appendJobEvent } from '../src/jobs/events.js';
import { sharedEventStats } from '../src/http/shared-event-results.js';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from './support/app.js';

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp({ ROLE: 'api' });
});
afterAll(() => test?.stop());

const QUERY = 'subscription ($withStage: Boolean!) { jobsUpdated { type stage @include(if: $withStage) job { id } } }';

/** A bare graphql-transport-ws socket holding one subscription, keeping every message as received. */
async function rawSubscriber(key: string, id: string, withStage: boolean, query = QUERY, variables: Record<string, unknown> = { withStage }) {
  const socket = new WebSocket(`${test.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: string[] = [];
  const acknowledged = new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (JSON.parse(text).type === 'connection_ack') return resolve();
      messages.push(text);
    });
    socket.once('error', reject);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
  await acknowledged;
  socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  return { socket, id, messages, withStage };
}

async function accountOf(key: string): Promise<string> {
  return (await test.graphql('{ viewer { accountId } }', {}, key)).body.data.viewer.accountId;
}

/** A new key with one placeholder job whose QUEUED event the poller has read before anyone subscribes. */
async function jobBehindThePoller() {
  const { key } = await test.createKey(1000);
  const account = await accountOf(key);
  const job = await generatePlaceholder(test, key);
  const { poller } = test.app.services.hub;
  const queries = poller.queries;
  await waitFor(() => poller.queries >= queries + 3, 'the poller read past the QUEUED event');
  return { key, account, job };
}

describe('live updates over WebSocket, written once per shared result', () => {
  it('sends every subscriber exactly its own envelope and its own account’s events, however the text is shared', async () => {
    const [keyA, keyB] = [(await test.createKey(1000)).key, (await test.createKey(1000)).key];
    const [accountA, accountB] = [await accountOf(keyA), await accountOf(keyB)];
    const sockets = await Promise.all([
      ...Array.from({ length: 6 }, (_, index) => rawSubscriber(keyA, `a-${index}`, true)),
      ...Array.from({ length: 6 }, (_, index) => rawSubscriber(keyB, `b-${index}`, true)),
      rawSubscriber(keyA, 'a-without-stage', false),
    ]);
    await waitFor(() => test.app.services.hub.subscriberCount === 13, 'every subscription registered');
    const before = { ...sharedEventStats };

    const jobA = await generatePlaceholder(test, keyA);
    const jobB = await generatePlaceholder(test, keyB);
    const sql = test.app.services.database.sql;
    await appendJobEvent(sql, { jobId: jobA.id, accountId: accountA, type: 'PROGRESS', status: 'QUEUED', progress: 0.5, stage: 'secret-of-a' });
    await appendJobEvent(sql, { jobId: jobB.id, accountId: accountB, type: 'PROGRESS', status: 'QUEUED', progress: 0.5, stage: 'secret-of-b' });
    await waitFor(() => sockets.every((s) => s.messages.length >= 2), 'both events at every socket');

    for (const { id, messages, withStage } of sockets) {
      const own = id.startsWith('a') ? { job: jobA.id, stage: 'secret-of-a', other: ['secret-of-b', jobB.id] } : { job: jobB.id, stage: 'secret-of-b', other: ['secret-of-a', jobA.id] };
      const payloads = messages.map((text) => {
        // The exact envelope graphql-ws would write, with this subscriber's id.
        expect(text.startsWith(`{"id":"${id}","type":"next","payload":{`)).toBe(true);
        for (const foreign of own.other) expect(text).not.toContain(foreign);
        return JSON.parse(text).payload;
      });
      expect(payloads).toEqual([
        { data: { jobsUpdated: { type: 'QUEUED', ...(withStage ? { stage: null } : {}), job: { id: own.job } } } },
        { data: { jobsUpdated: { type: 'PROGRESS', ...(withStage ? { stage: own.stage } : {}), job: { id: own.job } } } },
      ]);
    }
    // Two events; texts written for A, A without stage, and B: one per sharing key and event.
    expect(sharedEventStats.serialisations - before.serialisations).toBe(2 * 2 + 2);

    for (const { socket } of sockets) socket.close(1000);
    await waitFor(() => test.app.services.hub.subscriberCount === 0, 'every subscription released');
    // Nothing more arrived after the last event (exactly once).
    expect(sockets.every((s) => s.messages.length === 2)).toBe(true);
  });
});

describe('one event to subscribers with different selections', () => {
  it('writes each subscriber its own selection, in order and once, on the fast path and around it', async () => {
    const { key, account, job } = await jobBehindThePoller();
    const hub = test.app.services.hub;
    const selections = {
      stage: 'subscription { jobsUpdated { type stage job { id } } }',
      images: 'subscription { jobsUpdated { type job { id status images { id } } } }',
      preview: 'subscription { jobsUpdated { progress preview { id } } }',
      // A job stream: its SNAPSHOT first (read through the iterator), then the live events.
      job: 'subscription ($id: ID!) { jobUpdated(id: $id) { type stage } }',
    } as const;
    const names = Object.keys(selections) as (keyof typeof selections)[];
    const sockets = await Promise.all(
      names.flatMap((name) => [0, 1].map((index) => rawSubscriber(key, `${name}-${index}`, false, selections[name], name === 'job' ? { id: job.id } : {}).then((socket) => ({ ...socket, name })))),
    );
    await waitFor(() => hub.subscriberCount === sockets.length, 'every subscription registered');
    await waitFor(() => sockets.every((socket) => socket.name !== 'job' || socket.messages.length === 1), 'the job streams’ snapshots');
    const before = { ...sharedEventStats };

    const sql = test.app.services.database.sql;
    // Three events fanned out in one batch, then one more.
    await sql.begin(async (tx) => {
      for (const stage of ['one', 'two', 'three']) await appendJobEvent(tx, { jobId: job.id, accountId: account, type: 'PROGRESS', status: 'RUNNING', progress: 0.25, stage });
    });
    await appendJobEvent(sql, { jobId: job.id, accountId: account, type: 'PROGRESS', status: 'RUNNING', progress: 0.5, stage: 'four' });
    await waitFor(() => sockets.every((socket) => socket.messages.length >= (socket.name === 'job' ? 5 : 4)), 'every event at every socket');

    const stages = ['one', 'two', 'three', 'four'];
    const expected = {
      stage: stages.map((stage) => ({ jobsUpdated: { type: 'PROGRESS', stage, job: { id: job.id } } })),
      images: stages.map(() => ({ jobsUpdated: { type: 'PROGRESS', job: { id: job.id, status: 'QUEUED', images: [] } } })),
      preview: [0.25, 0.25, 0.25, 0.5].map((progress) => ({ jobsUpdated: { progress, preview: null } })),
      job: [{ jobUpdated: { type: 'SNAPSHOT', stage: null } }, ...stages.map((stage) => ({ jobUpdated: { type: 'PROGRESS', stage } }))],
    };
    for (const { id, name, messages } of sockets) {
      for (const text of messages) expect(text.startsWith(`{"id":"${id}","type":"next","payload":{`)).toBe(true);
      expect(messages.map((text) => JSON.parse(text).payload)).toEqual(expected[name].map((data) => ({ data })));
    }
    // Four events, four selections: executed and written once per selection and event...
    expect(sharedEventStats.executions - before.executions).toBe(4 * 4);
    expect(sharedEventStats.serialisations - before.serialisations).toBe(4 * 4);
    // ...and written to the waiting sockets straight from the fan-out.
    expect(sharedEventStats.pushed - before.pushed).toBeGreaterThan(0);

    for (const { socket } of sockets) socket.close(1000);
    await waitFor(() => hub.subscriberCount === 0, 'every subscription released');
    expect(sockets.every((socket) => socket.messages.length === (socket.name === 'job' ? 5 : 4))).toBe(true);
  });
});

describe('a WebSocket reader that stops reading', () => {
  it('gets every event once, in order, after it resumes, however far behind the fast path it fell', { timeout: 120_000 }, async () => {
    const { key, account, job } = await jobBehindThePoller();
    const hub = test.app.services.hub;
    const stalled = await rawSubscriber(key, 'stalled', true);
    const live = await rawSubscriber(key, 'live', true);
    await waitFor(() => hub.subscriberCount === 2, 'both subscriptions registered');
    // Stop reading: the socket's buffers fill, its writes back up past the writer's high-water
    // mark, and its updates go the slow way (queued, then read from the log).
    stalled.socket.pause();
    const before = { ...sharedEventStats };
    const events = 20_000;
    const sql = test.app.services.database.sql;
    await sql`
      insert into job_events (job_id, account_id, type, status, progress, stage)
      select ${job.id}, ${account}, 'PROGRESS', 'RUNNING', 0.5, 'bulk ' || n || ' ' || repeat('x', 200) from generate_series(1, ${events}) n`;
    await appendJobEvent(sql, { jobId: job.id, accountId: account, type: 'PROGRESS', status: 'RUNNING', progress: 0.5, stage: 'last' });
    await waitFor(() => live.messages.length === events + 1, 'every event at the reading socket');
    stalled.socket.resume();
    await waitFor(() => stalled.messages.length >= events + 1, 'every event at the stalled socket, once it reads again');

    const stagesOf = (messages: string[]) => messages.map((text) => JSON.parse(text).payload.data.jobsUpdated.stage as string);
    const expected = [...Array.from({ length: events }, (_, index) => `bulk ${index + 1} ${'x'.repeat(200)}`), 'last'];
    expect(stagesOf(live.messages)).toEqual(expected);
    expect(stagesOf(stalled.messages)).toEqual(expected);
    // The stalled reader's updates did not all go the fast way.
    expect(sharedEventStats.pushed - before.pushed).toBeLessThan(2 * (events + 1));
    for (const { socket } of [stalled, live]) socket.close(1000);
    await waitFor(() => hub.subscriberCount === 0, 'every subscription released');
  });
});
