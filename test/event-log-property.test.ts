import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../src/db/client.js';
import type postgres from 'postgres';
import { compareKeys, decodeCursor, encodeCursor, type EventKey } from '../src/realtime/cursor.js';
import { keyOf, readStableEvents } from '../src/realtime/event-log.js';
import { generatePlaceholder, startTestApp, type TestApp } from './support/app.js';

let database: Database;
let baseJobId: string;
let jobId: string;
let accountId: string;
const writers: postgres.ReservedSql[] = [];
const WRITERS = 4;

let test: TestApp;

beforeAll(async () => {
  test = await startTestApp({ ROLE: 'api' });
  database = connect(test.databaseUrl, { max: 8 });
  const sql = database.sql;
  const created = await test.createKey(10);
  accountId = created.accountId;
  baseJobId = (await generatePlaceholder(test, created.key)).id;
  for (let index = 0; index < WRITERS; index++) writers.push(await sql.reserve());
});
afterAll(async () => {
  for (const writer of writers) writer.release();
  await database?.close();
  await test?.stop();
});

type Step = { kind: 'insert' | 'commit' | 'rollback'; writer: number } | { kind: 'read'; pageSize: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), writer: fc.nat(WRITERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('commit' as const), writer: fc.nat(WRITERS - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rollback' as const), writer: fc.nat(WRITERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), pageSize: fc.integer({ min: 1, max: 6 }) }) },
);

/** Reads everything stable after `from`, in pages of `pageSize`. */
async function drain(from: EventKey, pageSize: number): Promise<{ id: number; key: EventKey }[]> {
  const read: { id: number; key: EventKey }[] = [];
  let cursor = from;
  for (;;) {
    const rows = await readStableEvents(database.sql, cursor, { jobId }, pageSize);
    if (rows.length === 0) return read;
    for (const row of rows) read.push({ id: row.id, key: keyOf(row) });
    cursor = keyOf(rows.at(-1)!);
  }
}

describe('the log reader under concurrent transactions', () => {
  it('yields every committed event exactly once, in (xid, id) order, for any interleaving, page size and start', { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: WRITERS, maxLength: WRITERS }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(),
        async (steps, commitAtEnd, drainPageSize, startPick) => {
          // Each run writes to a job of its own, so a run never sees another run's late events.
          const [copy] = await database.sql<{ id: string }[]>`
          insert into jobs select (jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object('id', gen_random_uuid(), 'idempotency_key', null, 'seq', (select max(seq) + 1 from jobs)))).*
          from jobs j where j.id = ${baseJobId} returning id`;
          jobId = copy!.id;
          const start = { xid: 0n, id: 0 };
          const open = new Map<number, number[]>();
          const committed: number[] = [];
          const seen: { id: number; key: EventKey }[] = [];
          let cursor = start;
          const end = async (writer: number, commit: boolean) => {
            const ids = open.get(writer);
            if (!ids) return;
            await writers[writer]!.unsafe(commit ? 'commit' : 'rollback');
            if (commit) committed.push(...ids);
            open.delete(writer);
          };
          for (const action of steps) {
            if (action.kind === 'read') {
              const rows = await readStableEvents(database.sql, cursor, { jobId }, action.pageSize);
              for (const row of rows) seen.push({ id: row.id, key: keyOf(row) });
              if (rows.length > 0) cursor = keyOf(rows.at(-1)!);
            } else if (action.kind === 'insert') {
              const writer = writers[action.writer]!;
              if (!open.has(action.writer)) {
                await writer.unsafe('begin');
                open.set(action.writer, []);
              }
              const [row] = await writer<{ id: number }[]>`
              insert into job_events (job_id, account_id, type, status, progress) values (${jobId}, ${accountId}, 'PROGRESS', 'RUNNING', 0.5) returning id`;
              open.get(action.writer)!.push(row!.id);
            } else await end(action.writer, action.kind === 'commit');
          }
          // Long-running transactions end last, in writer order (not xid order), some rolling back.
          for (let writer = 0; writer < WRITERS; writer++) await end(writer, commitAtEnd[writer]!);
          // Other test files share the cluster: their open transactions can hold the stable horizon
          // back for a moment, so read until the horizon has passed every committed event.
          const deadline = Date.now() + 60_000;
          for (;;) {
            const more = await drain(cursor, drainPageSize);
            seen.push(...more);
            if (more.length > 0) cursor = more.at(-1)!.key;
            const ids = new Set(seen.map((event) => event.id));
            if (committed.every((id) => ids.has(id)) || Date.now() > deadline) break;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }

          const expected = [...committed].sort((left, right) => left - right);
          expect(seen.map((event) => event.id).sort((left, right) => left - right)).toEqual(expected);
          for (let index = 1; index < seen.length; index++) expect(compareKeys(seen[index - 1]!.key, seen[index]!.key)).toBeLessThan(0);
          // From any event's cursor, a fresh reader yields exactly the events after it.
          if (seen.length > 0) {
            const from = seen[startPick % seen.length]!;
            const resumed = await drain(decodeCursor(encodeCursor(from.key))!, drainPageSize);
            expect(resumed.map((event) => event.id)).toEqual(seen.filter((event) => compareKeys(event.key, from.key) > 0).map((event) => event.id));
          }
        },
      ),
      { numRuns: 60, interruptAfterTimeLimit: 120_000 },
    );
  });

  it('round-trips cursors at edge values and rejects everything else', () => {
    const edges = [0n, 9_999n, 10_000n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 64n - 1n];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), fc.oneof(fc.constantFrom(0, 1, 2 ** 31, 2 ** 53 - 1), fc.nat()), (xid, id) => {
        expect(decodeCursor(encodeCursor({ xid, id }))).toEqual({ xid, id });
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const key = decodeCursor(text);
        // Anything accepted is exactly a cursor this server would issue.
        if (key) expect(encodeCursor(key)).toBe(text);
      }),
    );
    expect(decodeCursor(encodeCursor({ xid: 2n ** 64n, id: 1 }))).toBeUndefined();
    expect(decodeCursor(Buffer.from(`1:${2 ** 53}`).toString('base64url'))).toBeUndefined();
  });
});
