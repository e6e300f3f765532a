/**
 * Scale-out: near-free jobs (see near-free-job.ts: an upstream answering at once, or the
 * `placeholder` at its cheapest) through separate API and worker processes on one PostgreSQL,
 * 1 API + 1 worker against 2 API + 2 workers, in interleaved rounds. Submissions are spread over
 * the API processes; every job must end SUCCEEDED, charged, the balances down by what was charged. On a 2-core machine the ceiling is the cores, not the processes: the figure to read is
 * how close two of each come to using both.
 *
 *   npx tsx bench/scale-out.ts [--jobs 300] [--rounds 2] [--concurrency 5] [--submitters 16] [--kind upstream|placeholder]
 */
import http from 'node:http';
import { startNearFreeUpstream, submitNearFreeJob, type NearFreeKind } from './near-free-job.js';
import path from 'node:path';
import { startPictor, type ChildServer } from './children.js';
import { createAccounts, formatNumber, machineInfo, parseOptions, positiveNumber, printTable, runBenchmark, sleep, startDatabase, summarize, writeResult, type Cleanup } from './lib.js';

const options = parseOptions(
  {
    jobs: { default: '300', description: 'jobs per round' },
    rounds: { default: '2', description: 'rounds per topology, interleaved (1x1, 2x2, 1x1, ...)' },
    concurrency: { default: '5', description: 'WORKER_CONCURRENCY of each worker process' },
    submitters: { default: '16', description: 'closed-loop clients submitting the jobs (one account each)' },
    kind: { default: 'upstream', description: 'upstream: grok-imagine on a local stand-in answering at once; placeholder: the local engine at its cheapest' },
  },
  'Usage: npx tsx bench/scale-out.ts [options]',
);
const jobsPerRound = Math.max(1, Math.floor(positiveNumber(options.jobs, 'jobs')));
const rounds = Math.max(1, Math.floor(positiveNumber(options.rounds, 'rounds')));
const concurrency = Math.max(1, Math.floor(positiveNumber(options.concurrency, 'concurrency')));
const submitters = Math.max(1, Math.floor(positiveNumber(options.submitters, 'submitters')));
if (options.kind !== 'upstream' && options.kind !== 'placeholder') throw new Error(`--kind must be upstream or placeholder, got ${options.kind}`);
const kind: NearFreeKind = options.kind;

interface Round {
  topology: string;
  round: number;
  jobsPerSecond: number;
  seconds: number;
  submitP50Ms: number;
}

async function startTopology(databaseUrl: string, apis: number, workers: number, upstreamEnv: Record<string, string>, cleanup: Cleanup): Promise<{ apis: ChildServer[]; workers: ChildServer[] }> {
  const env = { WORKER_CONCURRENCY: String(concurrency), MAX_RUNNING_JOBS_PER_ACCOUNT: String(concurrency * workers), RATE_LIMIT_PER_MINUTE: '0', ...upstreamEnv };
  const started = { apis: [] as ChildServer[], workers: [] as ChildServer[] };
  for (let index = 0; index < apis; index++) started.apis.push(await startPictor({ databaseUrl, role: 'api', env }, cleanup));
  for (let index = 0; index < workers; index++) started.workers.push(await startPictor({ databaseUrl, role: 'worker', env }, cleanup));
  return started;
}

await runBenchmark(async (cleanup) => {
  const startedAt = performance.now();
  console.log('Starting PostgreSQL...');
  const database = await startDatabase(cleanup);
  const keys = await createAccounts(database.database, submitters, 'bench-scale-out');
  const { sql } = database.database;
  const accountIds = keys.map((key) => key.accountId);
  const balance = async () => Number((await sql`select sum(balance)::bigint as total from accounts where id = any(${accountIds}::uuid[])`)[0]!.total);
  const results: Round[] = [];
  const upstream = kind === 'upstream' ? await startNearFreeUpstream() : undefined;
  if (upstream) cleanup.add('stop the near-free upstream', () => upstream.close());

  for (let round = 1; round <= rounds; round++) {
    for (const [apis, workers] of round % 2 === 1
      ? [
          [1, 1],
          [2, 2],
        ]
      : [
          [2, 2],
          [1, 1],
        ]) {
      const topology = `${apis} API + ${workers} worker${workers > 1 ? 's' : ''}`;
      const processes = await startTopology(database.url, apis!, workers!, upstream?.env ?? {}, cleanup);
      const balanceBefore = await balance();
      const agents = processes.apis.map(() => new http.Agent({ keepAlive: true, maxSockets: submitters }));
      const ids: string[] = [];
      const latencies: number[] = [];
      const [{ begun }] = await sql<{ begun: Date }[]>`select clock_timestamp() as begun`;
      let next = 0;
      await Promise.all(
        Array.from({ length: submitters }, async (_, client) => {
          while (next < jobsPerRound) {
            const index = next++;
            const api = index % processes.apis.length;
            const sentAt = performance.now();
            ids.push(await submitNearFreeJob(agents[api]!, processes.apis[api]!.port, keys[client]!.key, kind));
            latencies.push(performance.now() - sentAt);
          }
        }),
      );
      for (const agent of agents) agent.destroy();
      for (;;) {
        const [state] = await sql<{ open: number }[]>`select count(*)::int as open from jobs where id = any(${ids}::uuid[]) and finished_at is null`;
        if (state!.open === 0) break;
        await sleep(10);
      }
      const [summary] = await sql<{ succeeded: number; unbilled: number; credits: number; lastFinish: Date }[]>`
        select count(*) filter (where status = 'SUCCEEDED')::int as succeeded, count(*) filter (where credits_charged = 0)::int as unbilled,
          sum(credits_charged)::int as credits, max(finished_at) as last_finish
        from jobs where id = any(${ids}::uuid[])`;
      if (summary!.succeeded !== jobsPerRound) throw new Error(`${topology} round ${round}: ${summary!.succeeded} of ${jobsPerRound} jobs succeeded`);
      const charged = balanceBefore - (await balance());
      if (summary!.unbilled > 0 || charged !== summary!.credits)
        throw new Error(`${topology} round ${round}: balances down ${charged}, jobs charged ${summary!.credits}, ${summary!.unbilled} unbilled`);
      const seconds = (summary!.lastFinish.getTime() - begun!.getTime()) / 1000;
      results.push({ topology, round, jobsPerSecond: jobsPerRound / seconds, seconds, submitP50Ms: summarize(latencies).p50 });
      console.log(`  round ${round} ${topology}: ${formatNumber(jobsPerRound / seconds, 1)} jobs/s`);
      for (const child of [...processes.workers, ...processes.apis]) await child.stop();
    }
  }

  printTable(
    `Near-free jobs (${kind}) through separate API and worker processes (${jobsPerRound} per round, WORKER_CONCURRENCY ${concurrency} per worker, ${submitters} submitters)`,
    ['topology', 'round', 'jobs/s', 'seconds', 'submit p50 ms'],
    results.map((result) => [result.topology, String(result.round), formatNumber(result.jobsPerSecond, 1), formatNumber(result.seconds, 2), formatNumber(result.submitP50Ms, 1)]),
  );
  const best = (topology: string) => Math.max(...results.filter((result) => result.topology.startsWith(topology)).map((result) => result.jobsPerSecond));
  const single = best('1 API');
  const double = best('2 API');
  console.log(`\nBest round: 1x1 ${formatNumber(single, 1)} jobs/s, 2x2 ${formatNumber(double, 1)} jobs/s (x${formatNumber(double / single, 2)})`);
  const file = await writeResult('scale-out', {
    benchmark: 'scale-out',
    date: new Date().toISOString(),
    machine: machineInfo(),
    options: { kind, jobsPerRound, rounds, concurrency, submitters },
    rounds: results,
    best: { oneByOne: single, twoByTwo: double, ratio: double / single },
    totalSeconds: (performance.now() - startedAt) / 1000,
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
});
