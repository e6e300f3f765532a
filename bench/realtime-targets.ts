/**
 * The two servers bench/realtime.ts measures, behind one interface so the same measurement code
 * drives both: Pictor (graphql-transport-ws subscriptions, events appended to `job_events`) and
 * the bare `ws` baseline (bench/raw-ws-server.ts, events broadcast on request).
 */
import http from 'node:http';
import type { CreatedKey } from '../src/accounts/api-keys.js';
import type { Sql } from '../src/db/client.js';
import { type ChildServer } from './children.js';
import { metric, readMetrics } from './lib.js';
import { openPictorSubscriber, openRawClient, type DeliveryTracker, type LoadClient } from './ws-clients.js';

/**
 * How one server under test is driven, so Pictor and the raw baseline are measured by the same
 * code: opening a client, publishing to one group (an account) or to all, and counting clients.
 */
export interface Target {
  name: string;
  /** Whether --profile applies to this server. */
  profiled: boolean;
  server: ChildServer;
  postmasterPid: number | undefined;
  /** Client `index` belongs to group `index % groups` (an account, for Pictor). */
  open(index: number, tracker: DeliveryTracker): Promise<LoadClient>;
  publishToGroup(group: number, slot: number, expected: number, tracker: DeliveryTracker): Promise<void>;
  publishToAll(slot: number, groupSizes: number[], tracker: DeliveryTracker): Promise<void>;
  connected(): Promise<number>;
  /** Event-log reads of the poller so far (its hydration queries left out). */
  pollerQueries?(): Promise<number>;
}

/** Submits `jobsPerAccount` placeholder jobs per account through the API (workers are off: they stay QUEUED). */
export async function createJobs(baseUrl: string, keys: CreatedKey[], jobsPerAccount: number): Promise<string[][]> {
  const mutation = 'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }';
  return Promise.all(
    keys.map(async (key) => {
      const jobIds: string[] = [];
      for (let index = 0; index < jobsPerAccount; index++) {
        const response = await fetch(`${baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
          body: JSON.stringify({ query: mutation, variables: { input: { model: { placeholder: { prompt: 'bench' } } } } }),
        });
        const body = (await response.json()) as { data?: { generateImage?: { job?: { id: string } } } };
        const jobId = body.data?.generateImage?.job?.id;
        if (!jobId) throw new Error(`generateImage failed: ${JSON.stringify(body)}`);
        jobIds.push(jobId);
      }
      return jobIds;
    }),
  );
}

/**
 * Pictor: one `jobsUpdated` subscription per client, client i on account i % accounts. An event is
 * a row appended to `job_events` for one of the account's jobs (`jobs[account][slot]`), timed
 * from the moment its COMMIT returned; deliveries are matched by job id.
 */
export function pictorTarget(options: { server: ChildServer; postmasterPid: number | undefined; sql: Sql; keys: CreatedKey[]; jobs: string[][]; profiled: boolean }): Target {
  const { server, postmasterPid, sql, keys, jobs, profiled } = options;
  const accountCount = keys.length;
  const webSocketUrl = `ws://127.0.0.1:${server.port}/graphql`;
  const reportError = (() => {
    let reported = 0;
    return (message: string) => {
      if (reported++ < 5) console.error(`[subscriber] ${message}`);
    };
  })();
  const jobFor = (group: number, slot: number) => jobs[group]![slot % jobs[group]!.length]!;
  return {
    name: 'Pictor',
    profiled,
    server,
    postmasterPid,
    open: (index, tracker) => openPictorSubscriber(webSocketUrl, keys[index % accountCount]!.key, index % accountCount, tracker, reportError),
    async publishToGroup(group, slot, expected, tracker) {
      const jobId = jobFor(group, slot);
      const event = tracker.expect(jobId, expected);
      // What a worker does for a progress update: one short transaction appending to the log.
      await sql.begin(
        (transaction) => transaction`
          insert into job_events (job_id, account_id, type, status, progress)
          values (${jobId}, ${keys[group]!.accountId}, 'PROGRESS', 'RUNNING', 0.5)`,
      );
      event.published();
    },
    async publishToAll(slot, sizes, tracker) {
      const groups = keys.map((_, group) => group);
      const events = groups.map((group) => tracker.expect(jobFor(group, slot), sizes[group]!));
      const jobIds = groups.map((group) => jobFor(group, slot));
      const accountIds = groups.map((group) => keys[group]!.accountId);
      await sql.begin(
        (transaction) => transaction`
          insert into job_events (job_id, account_id, type, status, progress)
          select unnest(${jobIds}::uuid[]), unnest(${accountIds}::uuid[]), 'PROGRESS', 'RUNNING', 0.5`,
      );
      for (const event of events) event.published();
    },
    connected: () => metric(server.url, 'pictor_realtime_subscribers'),
    // Reads of the event log: hydrations (one per read that found events someone here follows) are
    // left out, since with no subscribers there are none. Trees without the counter count them in.
    pollerQueries: async () => {
      const metrics = await readMetrics(server.url);
      return (metrics.get('pictor_realtime_poller_queries_total') ?? Number.NaN) - (metrics.get('pictor_realtime_poller_hydrations_total') ?? 0);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Raw ws baseline

function get(agent: http.Agent, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: HTTP ${response.statusCode}`))));
      })
      .on('error', reject);
  });
}

/** The raw ws baseline: client i in group i % groups; an event is one broadcast request. */
export function rawTarget(server: ChildServer, groups: number): Target {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let sequence = 0;
  return {
    name: 'raw ws',
    profiled: false,
    server,
    postmasterPid: undefined,
    open: (index, tracker) => openRawClient(`ws://127.0.0.1:${server.port}`, index % groups, tracker),
    async publishToGroup(group, _slot, expected, tracker) {
      const number = sequence++;
      // Timed from just before the broadcast request, the counterpart of "after COMMIT returned".
      tracker.expect(`raw-${number}`, expected).published();
      await get(agent, `${server.url}/broadcast?seq=${number}&group=${group}`);
    },
    async publishToAll(_slot, sizes, tracker) {
      const number = sequence++;
      tracker
        .expect(
          `raw-${number}`,
          sizes.reduce((total, size) => total + size, 0),
        )
        .published();
      await get(agent, `${server.url}/broadcast?seq=${number}`);
    },
    connected: async () => Number(await get(agent, `${server.url}/count`)),
  };
}
