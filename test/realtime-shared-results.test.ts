import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendJobEvent } from '../src/jobs/events.js';
import { sharedEventStats } from '../src/http/shared-event-results.js';
import { generatePlaceholder, startTestApp, waitFor, type TestApp } from './support/app.js';

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp({ ROLE: 'api' });
});
afterAll(() => test?.stop());

const QUERY = 'subscription { jobsUpdated { type stage job { id status images { id } } } }';

interface Update {
  type: string;
  stage: string | null;
  job: { id: string; status: string; images: unknown[] };
}

/** Holds a `jobsUpdated` subscription on its own socket, recording every message. */
function subscriber(key: string) {
  const items: Update[] = [];
  const iterator = test.wsClient(key).iterate<{ jobsUpdated: Update }>({ query: QUERY });
  const done = (async () => {
    for await (const result of iterator) {
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      items.push(result.data!.jobsUpdated);
    }
  })();
  return { items, done, stop: () => iterator.return?.() };
}

async function accountOf(key: string): Promise<string> {
  return (await test.graphql('{ viewer { accountId } }', {}, key)).body.data.viewer.accountId;
}

describe('one job event fanned out to many subscribers', () => {
  it('is executed once per account and selection, and each subscriber gets exactly its own account’s events, in order', async () => {
    const [keyA, keyB] = [(await test.createKey(1000)).key, (await test.createKey(1000)).key];
    const [accountA, accountB] = [await accountOf(keyA), await accountOf(keyB)];
    const manyA = Array.from({ length: 25 }, () => subscriber(keyA));
    const fewB = Array.from({ length: 3 }, () => subscriber(keyB));
    await waitFor(() => test.app.services.hub.subscriberCount === 28, 'every subscription registered');
    const before = { ...sharedEventStats };

    const jobA = await generatePlaceholder(test, keyA);
    const jobB = await generatePlaceholder(test, keyB);
    const sql = test.app.services.database.sql;
    for (const stage of ['one', 'two', 'three']) {
      await appendJobEvent(sql, { jobId: jobA.id, accountId: accountA, type: 'PROGRESS', status: 'QUEUED', progress: 0.5, stage });
    }
    await appendJobEvent(sql, { jobId: jobB.id, accountId: accountB, type: 'PROGRESS', status: 'QUEUED', progress: 0.5, stage: 'b' });

    await waitFor(() => manyA.every((s) => s.items.length >= 4) && fewB.every((s) => s.items.length >= 2), 'every event at every subscriber');
    for (const s of manyA) {
      expect(s.items.map((item) => [item.type, item.stage, item.job.id])).toEqual([
        ['QUEUED', null, jobA.id],
        ['PROGRESS', 'one', jobA.id],
        ['PROGRESS', 'two', jobA.id],
        ['PROGRESS', 'three', jobA.id],
      ]);
    }
    for (const s of fewB) {
      expect(s.items.map((item) => [item.type, item.stage, item.job.id])).toEqual([
        ['QUEUED', null, jobB.id],
        ['PROGRESS', 'b', jobB.id],
      ]);
    }
    // Six events, each executed once for its account's subscribers; every other delivery reused it.
    expect(sharedEventStats.executions - before.executions).toBe(6);
    expect(sharedEventStats.reused - before.reused).toBe(4 * 24 + 2 * 2);
    // ...and written as JSON once: every socket got the same text inside its own envelope.
    expect(sharedEventStats.serialisations - before.serialisations).toBe(6);

    await Promise.all([...manyA, ...fewB].map((s) => s.stop()));
    await Promise.all([...manyA, ...fewB].map((s) => s.done));
    // Nothing more arrived after the last event (exactly once).
    expect(manyA.every((s) => s.items.length === 4) && fewB.every((s) => s.items.length === 2)).toBe(true);
    await waitFor(() => test.app.services.hub.subscriberCount === 0, 'every subscription released');
  });
});
