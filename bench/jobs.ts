/**
 * End to end, near-free jobs: Pictor (`generateImage` through the HTTP API, run by the same
 * process's workers against an upstream that answers at once, see near-free-job.ts) against
 * graphile-worker (`addJob` of a no-op task, run by its worker pool with the local queue on) on
 * the same PostgreSQL, the same number of jobs, the same concurrency, in interleaved rounds.
 *
 *   npx tsx bench/jobs.ts [--jobs 400] [--rounds 3] [--warmup N] [--concurrency 10] [--submitters 16] [--kind upstream|placeholder]
 *   npx tsx bench/jobs.ts --help
 *
 * A round submits `--jobs` jobs from `--submitters` closed-loop clients while the workers run,
 * and ends when the last one has finished; jobs/s = jobs / (last finish - first submission).
 * Every Pictor job must end SUCCEEDED with its credits captured (the accounts' balances drop by
 * exactly what the jobs were charged, and no job is charged nothing), every graphile-worker job
 * must succeed.
 */
import { nearFreeSubmitters, startNearFreeUpstream, type NearFreeKind } from './near-free-job.js';
import path from 'node:path';
import { Logger, makeWorkerUtils, run, runMigrations as runGraphileMigrations, type WorkerUtils } from 'graphile-worker';
import { CpuMeter, type CpuShares } from './cpu.js';
import { startPictor, type ChildServer } from './children.js';
import {
  createAccounts,
  flag,
  formatNumber,
  machineInfo,
  parseOptions,
  positiveNumber,
  printTable,
  profilePath,
  runBenchmark,
  sleep,
  startDatabase,
  summarize,
  writeResult,
  type BenchDatabase,
} from './lib.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';

const options = parseOptions(
  {
    jobs: { default: '400', description: 'jobs per round (the same for both)' },
    rounds: { default: '3', description: 'rounds per system, interleaved (Pictor, graphile-worker, Pictor, ...)' },
    warmup: { default: '', description: 'unmeasured rounds per system first, like a server that has run a while (default: enough rounds for 3,000 jobs)' },
    concurrency: { default: '10', description: 'jobs run at once: Pictor WORKER_CONCURRENCY, graphile-worker concurrency' },
    submitters: { default: '16', description: 'closed-loop clients submitting the jobs (one account each for Pictor)' },
    'local-queue': { default: '50', description: "graphile-worker's localQueue.size (0 = off)" },
    kind: { default: 'upstream', description: 'upstream: grok-imagine on a local stand-in answering at once; placeholder: the local engine at its cheapest' },
    profile: { default: '', description: "set to 1 to CPU-profile Pictor's process during its last round (bench/results/)" },
    history: { default: '0', description: 'finished jobs already in the table before the first round (a deployment that has run for a while)' },
  },
  'Usage: npx tsx bench/jobs.ts [options]',
);
/**
 * Jobs each system runs before the measured rounds. A fresh Pictor process ran its first 3,000
 * near-free jobs at 350-380 jobs/s and 2.5 ms of CPU each, and later rounds of the same process
 * at 510-670 jobs/s and 1.0-1.6 ms (V8's optimizing compilers, heap sizing, pools and caches):
 * measured rounds start warm, as on a server that has run a while.
 */
const WarmupJobs = 3_000;
const jobsPerRound = Math.max(1, Math.floor(positiveNumber(options.jobs, 'jobs')));
const rounds = Math.max(1, Math.floor(positiveNumber(options.rounds, 'rounds')));
const warmupRounds = options.warmup === '' ? Math.ceil(WarmupJobs / jobsPerRound) : Math.floor(Number(options.warmup));
if (!Number.isSafeInteger(warmupRounds) || warmupRounds < 0) throw new Error(`--warmup must be a whole number, got ${options.warmup}`);
const concurrency = Math.max(1, Math.floor(positiveNumber(options.concurrency, 'concurrency')));
const submitters = Math.max(1, Math.floor(positiveNumber(options.submitters, 'submitters')));
const localQueueSize = Math.floor(positiveNumber(options['local-queue'], 'local-queue'));
const history = Math.floor(Number(options.history));
if (!Number.isSafeInteger(history) || history < 0) throw new Error(`--history must be a whole number, got ${options.history}`);
const profileLastRound = flag(options.profile);
if (options.kind !== 'upstream' && options.kind !== 'placeholder') throw new Error(`--kind must be upstream or placeholder, got ${options.kind}`);
const kind: NearFreeKind = options.kind;

interface Round {
  system: 'pictor' | 'graphile-worker';
  round: number;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  /** Submission latency, ms. */
  submitP50Ms: number;
  cpuPercent: CpuShares;
  /** CPU milliseconds per job: the process running the jobs (Pictor child or this process) and PostgreSQL. */
  cpuMsPerJob: { runner: number; postgres: number };
  /** Write transactions (xids) and WAL bytes per job over the round: submission, run and finish, whatever else the machine does. */
  perJob: { writeTransactions: number; walBytes: number };
  /** Pictor only, from the rows: median ms from submission to start, and from start to finish. */
  queuedMs?: number;
  runningMs?: number;
  profile?: ProfileSummary;
}

/** Runs `submit` `jobsPerRound` times from `submitters` closed-loop clients; returns the latencies. */
async function submitAll(submit: (client: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: submitters }, async (_, client) => {
      while (next < jobsPerRound) {
        next++;
        const sentAt = performance.now();
        await submit(client);
        latencies.push(performance.now() - sentAt);
      }
    }),
  );
  return latencies;
}

interface WalPosition {
  xid: string;
  lsn: string;
}

/** The next transaction id and the WAL position (taking the xid costs one write transaction, subtracted below). */
async function walPosition(database: BenchDatabase): Promise<WalPosition> {
  return (await database.database.sql<WalPosition[]>`select pg_current_xact_id()::text as xid, (pg_current_wal_lsn() - '0/0')::text as lsn`)[0]!;
}

function writesPerJob(before: WalPosition, after: WalPosition): Round['perJob'] {
  return { writeTransactions: (Number(after.xid) - Number(before.xid) - 1) / jobsPerRound, walBytes: (Number(after.lsn) - Number(before.lsn)) / jobsPerRound };
}

function roundResult(system: Round['system'], round: number, seconds: number, latencies: number[], cpuPercent: CpuShares, runnerCpuPercent: number, writes: Round['perJob']): Round {
  const perJob = (percent: number) => ((percent / 100) * seconds * 1000) / jobsPerRound;
  return {
    system,
    round,
    jobs: jobsPerRound,
    seconds,
    jobsPerSecond: jobsPerRound / seconds,
    submitP50Ms: summarize(latencies).p50,
    cpuPercent,
    cpuMsPerJob: { runner: perJob(runnerCpuPercent), postgres: perJob(cpuPercent.postgres) },
    perJob: writes,
  };
}

async function pictorRound(server: ChildServer, database: BenchDatabase, keys: { key: string; accountId: string }[], round: number, profileFile: string | undefined): Promise<Round> {
  const { sql } = database.database;
  const accountIds = keys.map((key) => key.accountId);
  const balance = async () => Number((await sql`select sum(balance)::bigint as total from accounts where id = any(${accountIds}::uuid[])`)[0]!.total);
  const balanceBefore = await balance();
  const submitter = nearFreeSubmitters(server.port, submitters, kind);
  const ids: string[] = [];
  const cpu = new CpuMeter(server, database.postmasterPid);
  if (profileFile) await server.startProfile();
  await cpu.begin();
  const walBefore = await walPosition(database);
  const [{ startedAt, lastSeq }] = await sql<{ startedAt: Date; lastSeq: number }[]>`
    select clock_timestamp() as started_at, coalesce(max(seq), 0)::bigint as last_seq from jobs`;
  const latencies = await submitAll(async (client) => {
    ids.push(await submitter.submit(client, keys[client % keys.length]!.key));
  });
  submitter.close();
  // Done when every job of the round (the rows after the last one before it) is terminal. The
  // timing comes from the rows, so the check runs every 100 ms and reads the round's rows by
  // their `seq` index. Every 10 ms with the round's ids as an array, it took a quarter of a core
  // of PostgreSQL's CPU from the system measured.
  for (;;) {
    const [state] = await sql<{ open: number }[]>`select count(*)::int as open from jobs where seq > ${lastSeq} and finished_at is null`;
    if (state!.open === 0) break;
    await sleep(100);
  }
  const cpuPercent = await cpu.end();
  const walAfter = await walPosition(database);
  if (profileFile) await server.stopProfile(profileFile);
  const [summary] = await sql<{ succeeded: number; unbilled: number; credits: number; lastFinish: Date; queuedMs: number; runningMs: number }[]>`
    select count(*) filter (where status = 'SUCCEEDED')::int as succeeded, count(*) filter (where credits_charged = 0)::int as unbilled,
      sum(credits_charged)::int as credits, max(finished_at) as last_finish,
      percentile_cont(0.5) within group (order by extract(epoch from started_at - created_at) * 1000) as queued_ms,
      percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at) * 1000) as running_ms
    from jobs where id = any(${ids}::uuid[])`;
  if (summary!.succeeded !== jobsPerRound) throw new Error(`pictor round ${round}: ${summary!.succeeded} of ${jobsPerRound} jobs succeeded`);
  // Capture is written with the terminal state: the balance is down by exactly what the jobs say they were charged.
  const charged = balanceBefore - (await balance());
  if (summary!.unbilled > 0 || charged !== summary!.credits) throw new Error(`pictor round ${round}: balances down ${charged}, jobs charged ${summary!.credits}, ${summary!.unbilled} jobs unbilled`);
  const seconds = (summary!.lastFinish.getTime() - startedAt.getTime()) / 1000;
  const result = { ...roundResult('pictor', round, seconds, latencies, cpuPercent, cpuPercent.server, writesPerJob(walBefore, walAfter)), queuedMs: summary!.queuedMs, runningMs: summary!.runningMs };
  return profileFile ? { ...result, profile: await summarizeProfile(profileFile, 25) } : result;
}

async function graphileRound(utils: WorkerUtils, connectionString: string, meterServer: ChildServer, database: BenchDatabase, round: number): Promise<Round> {
  let succeeded = 0;
  let failed = 0;
  let lastFinish = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const runner = await run({
    connectionString,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: new Logger(() => () => undefined),
    taskList: { noop: async () => undefined },
    ...(localQueueSize > 1 ? { preset: { worker: { localQueue: { size: localQueueSize } } } } : {}),
  });
  runner.events.on('job:success', () => {
    succeeded++;
    lastFinish = performance.now();
    if (succeeded === jobsPerRound) allDone();
  });
  runner.events.on('job:failed', () => void failed++);
  const cpu = new CpuMeter(meterServer, database.postmasterPid);
  try {
    await cpu.begin();
    const walBefore = await walPosition(database);
    const startedAt = performance.now();
    const latencies = await submitAll(async (client) => void (await utils.addJob('noop', { client })));
    await Promise.race([done, sleep(120_000)]);
    const cpuPercent = await cpu.end();
    const walAfter = await walPosition(database);
    if (succeeded !== jobsPerRound || failed > 0) throw new Error(`graphile-worker round ${round}: ${succeeded} of ${jobsPerRound} jobs succeeded, ${failed} failed`);
    return roundResult('graphile-worker', round, (lastFinish - startedAt) / 1000, latencies, cpuPercent, cpuPercent.bench, writesPerJob(walBefore, walAfter));
  } finally {
    await runner.stop();
  }
}

/**
 * `--history`: finished jobs spread over the bench accounts, written in one statement, then
 * ANALYZE, so the planner's statistics are those of a table of finished jobs, as in a deployment
 * that has run for a while (the rounds' jobs then arrive as a burst it has not heard of).
 */
async function addHistory(database: BenchDatabase, accountIds: string[]): Promise<void> {
  const startedAt = performance.now();
  await database.database.sql`
    insert into jobs (account_id, model_id, params, seed, status, progress, attempts, max_attempts, timeout_ms, credits_charged, created_at, started_at, finished_at)
    select (${accountIds}::uuid[])[1 + g % ${accountIds.length}], 'grok-imagine', '{"prompt": "history"}'::jsonb, g, 'SUCCEEDED', 1, 1, 3, 60000, 0,
           now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'
    from generate_series(1, ${history}) g`;
  await database.database.sql`analyze jobs`;
  console.log(`Added ${formatNumber(history, 0)} finished jobs of history in ${formatNumber((performance.now() - startedAt) / 1000, 1)} s`);
}

/** The middle value, or the mean of the two middle values. */
function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

await runBenchmark(async (cleanup) => {
  const startedAt = performance.now();
  console.log('Starting PostgreSQL, Pictor (ROLE=all) and graphile-worker on the same database...');
  const database = await startDatabase(cleanup);
  const keys = await createAccounts(database.database, submitters, 'bench-jobs');
  if (history > 0)
    await addHistory(
      database,
      keys.map((key) => key.accountId),
    );
  const upstream = kind === 'upstream' ? await startNearFreeUpstream() : undefined;
  if (upstream) cleanup.add('stop the near-free upstream', () => upstream.close());
  const server = await startPictor(
    {
      databaseUrl: database.url,
      role: 'all',
      // XAI_CONCURRENCY: the upstream's per-process limit (default 8) must not cap the worker's slots below graphile-worker's.
      env: {
        WORKER_CONCURRENCY: String(concurrency),
        XAI_CONCURRENCY: String(concurrency),
        MAX_RUNNING_JOBS_PER_ACCOUNT: String(concurrency),
        RATE_LIMIT_PER_MINUTE: '0',
        ...upstream?.env,
      },
    },
    cleanup,
  );
  await runGraphileMigrations({ connectionString: database.url, logger: new Logger(() => () => undefined) });
  const utils = await makeWorkerUtils({ connectionString: database.url, logger: new Logger(() => () => undefined) });
  cleanup.add('release graphile-worker utils', () => utils.release());

  for (let round = 1; round <= warmupRounds; round++) {
    const pictor = await pictorRound(server, database, keys, round, undefined);
    const graphile = await graphileRound(utils, database.url, server, database, round);
    console.log(`  warm-up ${round}: pictor ${formatNumber(pictor.jobsPerSecond, 0)} jobs/s, graphile-worker ${formatNumber(graphile.jobsPerSecond, 0)} jobs/s (not counted)`);
  }
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const profileFile = profileLastRound && round === rounds ? profilePath('jobs', 'pictor-worker') : undefined;
    for (const system of round % 2 === 1 ? (['pictor', 'graphile-worker'] as const) : (['graphile-worker', 'pictor'] as const)) {
      const result = system === 'pictor' ? await pictorRound(server, database, keys, round, profileFile) : await graphileRound(utils, database.url, server, database, round);
      results.push(result);
      console.log(`  round ${round} ${system}: ${formatNumber(result.jobsPerSecond, 0)} jobs/s (${result.jobs} in ${formatNumber(result.seconds, 2)} s)`);
    }
  }
  await server.stop();

  printTable(
    `Near-free jobs end to end (${kind}, ${jobsPerRound} per round, concurrency ${concurrency}, ${submitters} submitters; graphile-worker localQueue ${localQueueSize > 1 ? localQueueSize : 'off'})`,
    ['system', 'round', 'jobs/s', 'seconds', 'submit p50 ms', 'queued/running p50 ms', 'runner CPU ms/job', 'pg CPU ms/job', 'write tx/WAL bytes per job', 'CPU % bench/server/pg/other'],
    results.map((result) => [
      result.system,
      String(result.round),
      formatNumber(result.jobsPerSecond, 0),
      formatNumber(result.seconds, 2),
      formatNumber(result.submitP50Ms, 2),
      result.queuedMs === undefined ? '-' : `${formatNumber(result.queuedMs, 0)}/${formatNumber(result.runningMs, 0)}`,
      formatNumber(result.cpuMsPerJob.runner, 2),
      formatNumber(result.cpuMsPerJob.postgres, 2),
      `${formatNumber(result.perJob.writeTransactions, 2)}/${formatNumber(result.perJob.walBytes, 0)}`,
      ['bench', 'server', 'postgres', 'other'].map((party) => formatNumber(result.cpuPercent[party as keyof CpuShares], 0)).join('/'),
    ]),
  );
  const of = (system: Round['system']) => results.filter((result) => result.system === system);
  const pictor = median(of('pictor').map((result) => result.jobsPerSecond));
  const graphile = median(of('graphile-worker').map((result) => result.jobsPerSecond));
  const ratio = pictor / graphile;
  console.log(
    `\nMedian: Pictor ${formatNumber(pictor, 0)} jobs/s, graphile-worker ${formatNumber(graphile, 0)} jobs/s, ratio ${formatNumber(ratio * 100, 1)}% (target >= 50%: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
  );
  const profiled = results.find((result) => result.profile);
  if (profiled?.profile) console.log(`\nPictor process CPU during its last round (${profiled.profile.file}):\n${profiled.profile.text}`);

  const file = await writeResult('jobs', {
    benchmark: 'jobs',
    date: new Date().toISOString(),
    machine: machineInfo(),
    options: { kind, jobsPerRound, rounds, concurrency, submitters, localQueueSize, history },
    rounds: results,
    median: { pictorJobsPerSecond: pictor, graphileWorkerJobsPerSecond: graphile, ratio, targetRatio: 0.5, met: ratio >= 0.5 },
    cpuMsPerJob: {
      pictor: { runner: median(of('pictor').map((result) => result.cpuMsPerJob.runner)), postgres: median(of('pictor').map((result) => result.cpuMsPerJob.postgres)) },
      graphileWorker: { runner: median(of('graphile-worker').map((result) => result.cpuMsPerJob.runner)), postgres: median(of('graphile-worker').map((result) => result.cpuMsPerJob.postgres)) },
    },
    perJob: {
      pictor: { writeTransactions: median(of('pictor').map((result) => result.perJob.writeTransactions)), walBytes: median(of('pictor').map((result) => result.perJob.walBytes)) },
      graphileWorker: {
        writeTransactions: median(of('graphile-worker').map((result) => result.perJob.writeTransactions)),
        walBytes: median(of('graphile-worker').map((result) => result.perJob.walBytes)),
      },
    },
    totalSeconds: (performance.now() - startedAt) / 1000,
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file)} (total ${formatNumber((performance.now() - startedAt) / 1000, 0)} s)`);
});
// Everything is stopped and released by now, but graphile-worker leaves a handle that keeps
// the process alive for about two minutes after its pool is released.
process.exit();
