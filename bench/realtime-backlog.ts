/**
 * The backlog case of bench/realtime.ts: a client that missed `events` events of its account
 * resubscribes with `jobsUpdated(after:)` and reads everything it missed. Measures catch-up
 * events/s and the server's peak RSS while it streams; the baseline in the same run is the same
 * catch-up of a tenth of the events (memory must not grow with the backlog).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { CreatedKey } from '../src/accounts/api-keys.js';
import type { Sql } from '../src/db/client.js';
import { encodeCursor } from '../src/realtime/cursor.js';
import type { ChildServer } from './children.js';

export interface BacklogRun {
  events: number;
  delivered: number;
  /** Every event arrived once, in log order. */
  inOrder: boolean;
  seconds: number;
  eventsPerSecond: number;
  /** Server RSS before the catch-up and its peak during it (sampled every 50 ms). */
  rssBeforeMb: number;
  peakRssMb: number;
}

/** Writes `count` PROGRESS events of one job in transactions of 5,000 and returns the cursor before them. */
async function writeBacklog(sql: Sql, key: CreatedKey, jobId: string, count: number): Promise<string> {
  const [last] = await sql<{ xid: string; id: number }[]>`select e.xid::text as xid, e.id from job_events e order by e.xid desc, e.id desc limit 1`;
  for (let first = 0; first < count; first += 5_000) {
    await sql`
      insert into job_events (job_id, account_id, type, status, progress, stage)
      select ${jobId}, ${key.accountId}, 'PROGRESS', 'RUNNING', 0.5, 'backlog-' || n
      from generate_series(${first}::int, ${Math.min(count, first + 5_000) - 1}::int) n`;
  }
  return encodeCursor({ xid: BigInt(last?.xid ?? 0), id: last?.id ?? 0 });
}

export async function measureBacklog(server: ChildServer, sql: Sql, key: CreatedKey, jobId: string, count: number): Promise<BacklogRun> {
  const after = await writeBacklog(sql, key, jobId, count);
  const rssBeforeKb = await server.rssKb();
  let peakKb = rssBeforeKb;
  const sampler = setInterval(
    () =>
      void server.rssKb().then(
        (kb) => (peakKb = Math.max(peakKb, kb)),
        () => undefined,
      ),
    50,
  );
  const client = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${key.key}` },
  });
  let delivered = 0;
  let inOrder = true;
  const started = performance.now();
  try {
    for await (const result of client.iterate<{ jobsUpdated: { stage: string } }>({ query: 'subscription($after: String) { jobsUpdated(after: $after) { cursor stage } }', variables: { after } })) {
      if (result.data?.jobsUpdated.stage !== `backlog-${delivered}`) inOrder = false;
      delivered++;
      if (delivered === count) break;
    }
  } finally {
    clearInterval(sampler);
    await client.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: count, delivered, inOrder, seconds, eventsPerSecond: delivered / seconds, rssBeforeMb: rssBeforeKb / 1024, peakRssMb: peakKb / 1024 };
}
