/**
 * `generateImage` submission throughput and latency, against `pgbench` inserting one job-sized
 * row into the same PostgreSQL (the floor of "one durable transaction per submission") and
 * against graphile-worker's `addJob` (a job queue's own submission) at the same client counts.
 *
 *   npx tsx bench/submit.ts [--clients 1,4,16,64] [--duration 10] [--warmup 2] ...
 *   npx tsx bench/submit.ts --help
 *
 * The server runs as a child process with ROLE=api (no workers), so only the submit path is
 * measured: HTTP + GraphQL parse/validate, API key lookup, zod validation of the params, and one
 * transaction (credit hold, credit entry, job row, QUEUED event), then the post-commit NOTIFY.
 * The `addJob` runs call graphile-worker from this process (a pg pool sized to the client count,
 * closed-loop callers, the same warm-up and window), so its client-side CPU is the bench's share.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareAddJob, runAddJob, walPosition, type AddJobResult } from './add-job.js';
import { CpuMeter, measureUndisturbed, quietOptionSpec, quietOptions, reportDisturbance, type CpuShares } from './cpu.js';
import { startPictor, type ChildServer } from './children.js';
import { graphqlPosters, type HttpAnswer } from './http-client.js';
import {
  createAccounts,
  flag,
  formatNumber,
  closedLoop,
  machineInfo,
  metric,
  numberList,
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
  type Summary,
} from './lib.js';
import type { ProbeStats } from './loop-probe.js';
import { mainThreadSchedule, mainThreadSwitches, processCpuSeconds } from './proc.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';

const execFileAsync = promisify(execFile);

const options = parseOptions(
  {
    clients: { default: '1,4,16,64', description: 'concurrent clients, one run each (one account per client)' },
    'single-account-clients': { default: '4,16,64', description: 'client counts also run with every client on one account ("" to skip)' },
    duration: { default: '10', description: 'measured seconds per run' },
    warmup: { default: '2', description: 'warm-up seconds before each run' },
    'pgbench-clients': { default: '8', description: 'pgbench -c' },
    'add-job': { default: '1', description: "also run graphile-worker's addJob at each --clients count, after Pictor's run at that count (0 = skip)" },
    'pgbench-duration': { default: '10', description: 'pgbench -T seconds (run before and after the submissions)' },
    'rate-limit': {
      default: '1000000000',
      description: 'server RATE_LIMIT_PER_MINUTE: high so nothing is refused but every request is still counted, as in a deployment (0 = counting off)',
    },
    'http-client': { default: 'lean', description: "the load generator's HTTP client: lean (bench/http-client.ts, one socket per client) or node (node:http with a keep-alive agent)" },
    'api-processes': { default: '1', description: 'API_PROCESSES of the server: API processes sharing the port (node:cluster)' },
    profile: { default: '', description: 'set to 1 to CPU-profile the server during each measured window (bench/results/) and summarise it' },
    ...quietOptionSpec,
  },
  'Usage: npx tsx bench/submit.ts [options]',
);
const clientCounts = numberList(options.clients, 'clients')
  .map(Math.floor)
  .filter((count) => count > 0);
const singleAccountCounts = numberList(options['single-account-clients'], 'single-account-clients')
  .map(Math.floor)
  .filter((count) => count > 0);
const durationMs = positiveNumber(options.duration, 'duration') * 1000;
const warmupMs = positiveNumber(options.warmup, 'warmup') * 1000;
const pgbenchClients = Math.max(1, Math.floor(positiveNumber(options['pgbench-clients'], 'pgbench-clients')));
const pgbenchSeconds = Math.max(1, Math.round(positiveNumber(options['pgbench-duration'], 'pgbench-duration')));
const profileWindows = flag(options.profile);
const addJobRuns = flag(options['add-job']);
const rateLimitPerMinute = String(Math.floor(positiveNumber(options['rate-limit'], 'rate-limit')));
const quiet = quietOptions(options);
const httpClient = options['http-client'];
if (httpClient !== 'lean' && httpClient !== 'node') throw new Error('--http-client must be lean or node');
const apiProcesses = Math.max(1, Math.floor(positiveNumber(options['api-processes'], 'api-processes')));
if (apiProcesses > 1 && profileWindows) throw new Error('--profile profiles one process: use it with --api-processes 1');

const MUTATION = 'mutation($input: GenerateImageInput!) { generateImage(input: $input) { __typename ... on GenerateImageSuccess { job { id } } } }';
const BODY = JSON.stringify({ query: MUTATION, variables: { input: { model: { placeholder: { prompt: 'bench' } } } } });
/** Upper bound on requests per run, whatever the duration: loops are bounded in count too. */
const MAX_REQUESTS_PER_RUN = 2_000_000;

interface RunResult {
  label: string;
  accounts: number;
  clients: number;
  submissionsPerSecond: number;
  latencyMs: Summary;
  errors: number;
  firstError: string | undefined;
  /** Percent of one core used by each party during the measured window. */
  cpuPercent: CpuShares;
  /** The server's event-loop delay and GC pauses during the measured window. */
  serverLoop: ProbeStats;
  /** Event poller queries per second during the window: every submission nudges it. */
  pollerQps: number;
  /**
   * Context switches per second of the server's main thread during the window (with
   * --api-processes > 1, the supervisor's): involuntary ones are the scheduler taking the CPU
   * from it, on a small machine mostly for a process one of its writes woke.
   */
  serverMainThreadSwitchesPerSecond: { voluntary: number; involuntary: number };
  /**
   * Share of the window the server's main thread ran and waited, runnable, for a CPU (the rest
   * it was idle): under load it is the bottleneck, and its wait is the other processes' cost to it.
   */
  serverMainThreadShare: { running: number; waiting: number };
  /**
   * Over the whole run (warm-up included), per successful submission: transaction ids assigned
   * (= write transactions, NOTIFYs included) and WAL bytes, whatever else the machine does.
   */
  perSubmission: { writeTransactions: number; walBytes: number };
  /** Where the server's CPU went during the window (with --profile). */
  profile?: ProfileSummary;
  /** Measurements made (more than one when other processes disturbed the first). */
  attempts?: number;
}

interface PgbenchResult {
  clients: number;
  threads: number;
  seconds: number;
  tps: number;
  latencyAverageMs: number;
  /** pgbench's own CPU is taken out of `other`. */
  cpuPercent: CpuShares & { pgbench: number };
  attempts?: number;
}

/** One POST /graphql on a keep-alive agent; resolves with the status and body text. */
function post(agent: http.Agent, port: number, key: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), authorization: `Bearer ${key}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(BODY);
  });
}

/** The clients' way of sending the benchmark's request with a key (see --http-client). */
function posters(port: number, clients: number): { post: (client: number, key: string) => Promise<HttpAnswer>; close: () => void } {
  if (httpClient === 'node') {
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    return { post: (_client, key) => post(agent, port, key), close: () => agent.destroy() };
  }
  return graphqlPosters(port, clients, BODY);
}

/**
 * `clients` closed-loop clients (each sends its next request when the previous one answered),
 * client i using `keys[i % keys.length]`. Completions that land in the measured window count
 * toward throughput and latency; the warm-up is discarded.
 */
async function runLoad(server: ChildServer, database: BenchDatabase, label: string, keys: string[], clients: number, profileFile: string | undefined): Promise<RunResult> {
  const client = posters(server.port, clients);
  const cpu = new CpuMeter(server, database.postmasterPid);
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureUntil = measureFrom + durationMs;
  // What the server and the machine do during the measured window, observed beside the clients.
  const observation = (async () => {
    await sleep(warmupMs);
    await server.probeStats();
    const pollerQueriesBefore = await metric(server.url, 'pictor_realtime_poller_queries_total');
    if (profileFile) await server.startProfile();
    const switchesBefore = await mainThreadSwitches(server.pid);
    const scheduleBefore = await mainThreadSchedule(server.pid);
    await cpu.begin();
    await sleep(durationMs);
    const cpuPercent = await cpu.end();
    const switchesAfter = await mainThreadSwitches(server.pid);
    const scheduleAfter = await mainThreadSchedule(server.pid);
    const switchesPerSecond = {
      voluntary: (switchesAfter.voluntary - switchesBefore.voluntary) / (durationMs / 1000),
      involuntary: (switchesAfter.involuntary - switchesBefore.involuntary) / (durationMs / 1000),
    };
    const mainThreadShare = {
      running: (scheduleAfter.runSeconds - scheduleBefore.runSeconds) / (durationMs / 1000),
      waiting: (scheduleAfter.waitSeconds - scheduleBefore.waitSeconds) / (durationMs / 1000),
    };
    if (profileFile) await server.stopProfile(profileFile);
    const pollerQueries = (await metric(server.url, 'pictor_realtime_poller_queries_total')) - pollerQueriesBefore;
    return { cpuPercent, serverLoop: await server.probeStats(), pollerQueries, switchesPerSecond, mainThreadShare };
  })();

  const before = await walPosition(database);
  const { latencies, errors, firstError, succeeded } = await closedLoop({
    callers: clients,
    measureFrom,
    measureUntil,
    maxRequests: MAX_REQUESTS_PER_RUN,
    call: async (index) => {
      const response = await client.post(index, keys[index % keys.length]!);
      if (response.status !== 200 || !response.body.includes('"__typename":"GenerateImageSuccess"')) return `HTTP ${response.status}: ${response.body.slice(0, 300)}`;
      return undefined;
    },
  });
  // Rate-limit counts admitted in memory are written within 100 ms: let them land.
  await sleep(300);
  const after = await walPosition(database);
  // The two position reads take an id each (the first one's is before the run, so one counts).
  const perSubmission = { writeTransactions: (Number(after.xid) - Number(before.xid) - 1) / succeeded, walBytes: (Number(after.lsn) - Number(before.lsn)) / succeeded };
  const { cpuPercent, serverLoop, pollerQueries, switchesPerSecond, mainThreadShare } = await observation;
  client.close();
  return {
    label,
    accounts: Math.min(keys.length, clients),
    clients,
    submissionsPerSecond: latencies.length / (durationMs / 1000),
    latencyMs: summarize(latencies),
    errors,
    firstError,
    cpuPercent,
    serverLoop,
    pollerQps: pollerQueries / (durationMs / 1000),
    serverMainThreadSwitchesPerSecond: switchesPerSecond,
    serverMainThreadShare: mainThreadShare,
    perSubmission,
    profile: profileFile ? await summarizeProfile(profileFile, 25) : undefined,
  };
}

function pgbenchRow(when: string, { tps, latencyAverageMs, cpuPercent }: PgbenchResult): string[] {
  return [when, formatNumber(tps, 0), formatNumber(latencyAverageMs, 3), `${formatNumber(cpuPercent.pgbench, 0)}/${formatNumber(cpuPercent.postgres, 0)}/${formatNumber(cpuPercent.other, 0)}`];
}

/** pgbench with a custom script inserting one row shaped like a small job row. */
async function runPgbench(database: BenchDatabase, cpu: CpuMeter): Promise<PgbenchResult> {
  const script = path.join(os.tmpdir(), `pictor-bench-insert-${process.pid}.sql`);
  const payload = JSON.stringify({ prompt: 'bench', aspectRatio: '1:1', resolution: '1K', steps: 8, stepMs: 250, outputFormat: 'png' });
  await fs.writeFile(script, `insert into bench_insert (account_id, payload) values (gen_random_uuid(), '${payload}'::jsonb);\n`);
  const threads = Math.min(2, pgbenchClients);
  try {
    await cpu.begin();
    const pgbench = execFileAsync('pgbench', ['-n', '-f', script, '-c', String(pgbenchClients), '-j', String(threads), '-T', String(pgbenchSeconds), ...database.libpq.args], {
      env: { ...process.env, ...database.libpq.env },
      timeout: (pgbenchSeconds + 60) * 1000,
    });
    // pgbench's CPU time, sampled until it exits (the last sample misses at most 250 ms of it).
    let pgbenchCpuSeconds = 0;
    const pid = pgbench.child.pid;
    const sampler = setInterval(() => {
      if (pid) void processCpuSeconds(pid).then((seconds) => (pgbenchCpuSeconds = Number.isNaN(seconds) ? pgbenchCpuSeconds : seconds));
    }, 250);
    const { stdout } = await pgbench.finally(() => clearInterval(sampler));
    const shares = await cpu.end();
    const pgbenchPercent = (pgbenchCpuSeconds / pgbenchSeconds) * 100;
    const tps = /^tps = ([\d.]+)/m.exec(stdout);
    const latency = /^latency average = ([\d.]+) ms/m.exec(stdout);
    if (!tps || !latency) throw new Error(`could not parse pgbench output:\n${stdout}`);
    return {
      clients: pgbenchClients,
      threads,
      seconds: pgbenchSeconds,
      tps: Number(tps[1]),
      latencyAverageMs: Number(latency[1]),
      cpuPercent: { ...shares, pgbench: pgbenchPercent, other: Math.max(0, shares.other - pgbenchPercent) },
    };
  } finally {
    await fs.rm(script, { force: true });
  }
}

await runBenchmark(async (cleanup) => {
  const startedAt = performance.now();
  console.log('Starting PostgreSQL and the Pictor API server (ROLE=api, no workers)...');
  const database = await startDatabase(cleanup);
  await database.database.sql`create table if not exists bench_insert (id bigserial primary key, account_id uuid, payload jsonb, created_at timestamptz default now())`;
  const accountCount = Math.max(1, ...clientCounts, ...singleAccountCounts);
  const keys = (await createAccounts(database.database, accountCount, 'bench-submit')).map((created) => created.key);
  const server = await startPictor({ databaseUrl: database.url, role: 'api', env: { RATE_LIMIT_PER_MINUTE: rateLimitPerMinute, API_PROCESSES: String(apiProcesses) } }, cleanup);

  // Only for telling whether other processes on the machine disturb a window (see lib.ts).
  const quietMeter = new CpuMeter(server, database.postmasterPid);
  const pgbenchUndisturbed = async (label: string) => {
    const { result, attempts } = await measureUndisturbed(
      quietMeter,
      quiet,
      label,
      () => runPgbench(database, new CpuMeter(server, database.postmasterPid)),
      (result) => result.cpuPercent,
    );
    return { ...result, attempts };
  };
  console.log(`pgbench baseline: -c ${pgbenchClients} -T ${pgbenchSeconds} inserting one row per transaction...`);
  const pgbenchBefore = await pgbenchUndisturbed('pgbench');
  console.log(`  ${formatNumber(pgbenchBefore.tps, 0)} tps, latency average ${pgbenchBefore.latencyAverageMs} ms`);

  if (addJobRuns) await prepareAddJob(database);

  const runs: RunResult[] = [];
  const addJobs: AddJobResult[] = [];
  const plan = [
    ...clientCounts.flatMap((clients) => [
      { system: 'pictor' as const, label: 'one account per client', keys: keys.slice(0, clients), clients },
      ...(addJobRuns ? [{ system: 'addJob' as const, label: 'graphile-worker addJob', keys: [], clients }] : []),
    ]),
    ...singleAccountCounts.map((clients) => ({ system: 'pictor' as const, label: 'all clients on one account', keys: keys.slice(0, 1), clients })),
  ];
  for (const step of plan) {
    if (step.system === 'addJob') {
      console.log(`graphile-worker addJob, ${step.clients} caller(s), pool of ${step.clients}...`);
      const { result, attempts } = await measureUndisturbed(
        quietMeter,
        quiet,
        `addJob ${step.clients} clients`,
        () => runAddJob(server, database, { clients: step.clients, warmupMs, durationMs, maxRequests: MAX_REQUESTS_PER_RUN }),
        (run) => run.cpuPercent,
      );
      addJobs.push({ ...result, attempts });
      console.log(
        `  ${formatNumber(result.jobsPerSecond, 0)}/s, p50 ${formatNumber(result.latencyMs.p50, 2)} ms, p99 ${formatNumber(result.latencyMs.p99, 2)} ms${result.errors ? `, ${result.errors} errors (${result.firstError})` : ''}`,
      );
      continue;
    }
    console.log(`generateImage, ${step.clients} client(s), ${step.label}...`);
    const profileFile = profileWindows ? profilePath('submit', `${step.clients}-clients-${step.keys.length > 1 ? 'spread' : 'one-account'}`) : undefined;
    const { result, attempts } = await measureUndisturbed(
      quietMeter,
      quiet,
      `${step.clients} clients`,
      () => runLoad(server, database, step.label, step.keys, step.clients, profileFile),
      (run) => run.cpuPercent,
    );
    const run = { ...result, attempts };
    runs.push(run);
    console.log(
      `  ${formatNumber(run.submissionsPerSecond, 0)}/s, p50 ${formatNumber(run.latencyMs.p50, 2)} ms, p99 ${formatNumber(run.latencyMs.p99, 2)} ms${run.errors ? `, ${run.errors} errors (${run.firstError})` : ''}`,
    );
  }

  console.log(`pgbench again after the submissions (the tables and WAL have grown)...`);
  const pgbenchAfter = await pgbenchUndisturbed('pgbench');
  console.log(`  ${formatNumber(pgbenchAfter.tps, 0)} tps, latency average ${pgbenchAfter.latencyAverageMs} ms`);
  const pgbenchTps = (pgbenchBefore.tps + pgbenchAfter.tps) / 2;

  await server.stop();

  printTable(
    `pgbench baseline (one-row insert per transaction, -c ${pgbenchClients} -j ${pgbenchBefore.threads} -T ${pgbenchSeconds})`,
    ['when', 'tps', 'latency avg (ms)', 'CPU % pgbench/pg/other'],
    [pgbenchRow('before submissions', pgbenchBefore), pgbenchRow('after submissions', pgbenchAfter)],
  );
  printTable(
    `generateImage submissions (${durationMs / 1000} s per run after ${warmupMs / 1000} s warm-up; ratio = submissions/s / mean pgbench tps ${formatNumber(pgbenchTps, 0)})`,
    [
      'run',
      'clients',
      'accounts',
      'submissions/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'vs pgbench',
      'CPU % bench/server/pg/other',
      'poller q/s',
      'write tx/WAL bytes per submission',
      'server loop delay p99 ms',
      'server GC total/max ms',
      'server main thread switches/s vol/invol',
      'server main thread % running/waiting',
    ],
    runs.map((run) => [
      run.label,
      String(run.clients),
      String(run.accounts),
      formatNumber(run.submissionsPerSecond, 0),
      formatNumber(run.latencyMs.p50, 2),
      formatNumber(run.latencyMs.p99, 2),
      String(run.errors),
      `${formatNumber((run.submissionsPerSecond / pgbenchTps) * 100, 1)}%`,
      `${formatNumber(run.cpuPercent.bench, 0)}/${formatNumber(run.cpuPercent.server, 0)}/${formatNumber(run.cpuPercent.postgres, 0)}/${formatNumber(run.cpuPercent.other, 0)}`,
      formatNumber(run.pollerQps, 0),
      `${formatNumber(run.perSubmission.writeTransactions, 2)}/${formatNumber(run.perSubmission.walBytes, 0)}`,
      formatNumber(run.serverLoop.eventLoopDelayMs.p99, 1),
      `${formatNumber(run.serverLoop.gc.totalMs, 0)}/${formatNumber(run.serverLoop.gc.maxMs, 0)}`,
      `${formatNumber(run.serverMainThreadSwitchesPerSecond.voluntary, 0)}/${formatNumber(run.serverMainThreadSwitchesPerSecond.involuntary, 0)}`,
      `${formatNumber(run.serverMainThreadShare.running * 100, 0)}/${formatNumber(run.serverMainThreadShare.waiting * 100, 0)}`,
    ]),
  );
  // Pictor's run with one account per client at an addJob run's client count.
  const pictorAt = (clients: number) => runs.find((run) => run.clients === clients && run.label === 'one account per client');
  if (addJobs.length > 0) {
    printTable(
      `graphile-worker addJob from this process (pool of one connection per caller, no worker running; ${durationMs / 1000} s per run after ${warmupMs / 1000} s warm-up)`,
      ['callers', 'addJob/s', 'p50 ms', 'p99 ms', 'errors', 'vs pgbench', 'CPU ms per job bench/pg', 'CPU % bench/server/pg/other', 'write tx/WAL bytes per job'],
      addJobs.map((run) => [
        String(run.clients),
        formatNumber(run.jobsPerSecond, 0),
        formatNumber(run.latencyMs.p50, 2),
        formatNumber(run.latencyMs.p99, 2),
        String(run.errors),
        `${formatNumber((run.jobsPerSecond / pgbenchTps) * 100, 1)}%`,
        `${formatNumber(run.cpuMsPerJob.bench, 3)}/${formatNumber(run.cpuMsPerJob.postgres, 3)}`,
        `${formatNumber(run.cpuPercent.bench, 0)}/${formatNumber(run.cpuPercent.server, 0)}/${formatNumber(run.cpuPercent.postgres, 0)}/${formatNumber(run.cpuPercent.other, 0)}`,
        `${formatNumber(run.perJob.writeTransactions, 2)}/${formatNumber(run.perJob.walBytes, 0)}`,
      ]),
    );
    printTable(
      'Pictor generateImage (one account per client) against addJob at the same client count: rates, ratios and CPU ms per operation (Pictor: server/pg; addJob: bench process/pg)',
      ['clients', 'Pictor/s', 'addJob/s', 'Pictor ÷ addJob', 'Pictor ÷ pgbench', 'Pictor CPU ms server/pg', 'addJob CPU ms caller/pg', 'write tx Pictor/addJob'],
      addJobs.map((addJob) => {
        const pictor = pictorAt(addJob.clients);
        return [
          String(addJob.clients),
          formatNumber(pictor?.submissionsPerSecond, 0),
          formatNumber(addJob.jobsPerSecond, 0),
          formatNumber(pictor ? pictor.submissionsPerSecond / addJob.jobsPerSecond : undefined, 2),
          formatNumber(pictor ? pictor.submissionsPerSecond / pgbenchTps : undefined, 3),
          pictor ? `${formatNumber((pictor.cpuPercent.server * 10) / pictor.submissionsPerSecond, 3)}/${formatNumber((pictor.cpuPercent.postgres * 10) / pictor.submissionsPerSecond, 3)}` : '-',
          `${formatNumber(addJob.cpuMsPerJob.bench, 3)}/${formatNumber(addJob.cpuMsPerJob.postgres, 3)}`,
          `${formatNumber(pictor?.perSubmission.writeTransactions, 2)}/${formatNumber(addJob.perJob.writeTransactions, 2)}`,
        ];
      }),
    );
  }
  const best = Math.max(...runs.map((run) => run.submissionsPerSecond));
  const ratio = best / pgbenchTps;
  console.log(`\nBest: ${formatNumber(best, 0)} submissions/s = ${formatNumber(ratio * 100, 1)}% of pgbench (target >= 40%: ${ratio >= 0.4 ? 'met' : 'NOT met'})`);
  // Target 1's second half, at the largest client count both ran: ahead of addJob.
  const topAddJob = addJobs.filter((run) => pictorAt(run.clients)).at(-1);
  const versusAddJob = topAddJob ? { clients: topAddJob.clients, ratio: pictorAt(topAddJob.clients)!.submissionsPerSecond / topAddJob.jobsPerSecond } : undefined;
  if (versusAddJob) {
    console.log(
      `At ${versusAddJob.clients} clients: ${formatNumber(pictorAt(versusAddJob.clients)!.submissionsPerSecond, 0)} submissions/s = ${formatNumber(versusAddJob.ratio, 2)}x graphile-worker addJob's ${formatNumber(topAddJob!.jobsPerSecond, 0)}/s (target: ahead: ${versusAddJob.ratio > 1 ? 'met' : 'NOT met'})`,
    );
  }
  const disturbed = reportDisturbance([
    { label: 'pgbench before', cpu: pgbenchBefore.cpuPercent },
    ...runs.map((run) => ({ label: `${run.clients} clients, ${run.label}`, cpu: run.cpuPercent })),
    ...addJobs.map((run) => ({ label: `addJob, ${run.clients} callers`, cpu: run.cpuPercent })),
    { label: 'pgbench after', cpu: pgbenchAfter.cpuPercent },
  ]);
  const busiest = runs.reduce((best, run) => (run.submissionsPerSecond > best.submissionsPerSecond ? run : best), runs[0]!);
  if (busiest?.profile) console.log(`\nServer CPU during the fastest run (${busiest.clients} clients, ${busiest.label}; ${busiest.profile.file}):\n${busiest.profile.text}`);

  const file = await writeResult('submit', {
    benchmark: 'submit',
    date: new Date().toISOString(),
    machine: machineInfo(),
    options: { clientCounts, singleAccountCounts, durationMs, warmupMs, pgbenchClients, pgbenchSeconds, rateLimitPerMinute, profileWindows, quiet, addJobRuns, httpClient, apiProcesses },
    database: database.embedded ? 'embedded PostgreSQL (unix socket)' : 'DATABASE_URL',
    // The checkout the Pictor server ran from: another one for the baseline of a before/after run.
    serverRoot: process.env.BENCH_SERVER_ROOT ?? 'this tree',
    pgbench: { before: pgbenchBefore, after: pgbenchAfter, meanTps: pgbenchTps },
    runs: runs.map((run) => {
      const addJob = run.label === 'one account per client' ? addJobs.find((other) => other.clients === run.clients) : undefined;
      return { ...run, ratioToPgbench: run.submissionsPerSecond / pgbenchTps, ratioToAddJob: addJob ? run.submissionsPerSecond / addJob.jobsPerSecond : undefined };
    }),
    addJob: addJobs.map((run) => ({ ...run, ratioToPgbench: run.jobsPerSecond / pgbenchTps })),
    best: { submissionsPerSecond: best, ratioToPgbench: ratio, targetRatio: 0.4, met: ratio >= 0.4 },
    versusAddJob: versusAddJob ? { ...versusAddJob, met: versusAddJob.ratio > 1 } : undefined,
    disturbed,
    totalSeconds: (performance.now() - startedAt) / 1000,
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file)} (total ${formatNumber((performance.now() - startedAt) / 1000, 0)} s)`);
});
// Everything is stopped and released by now, but graphile-worker's released utils leave a handle
// that keeps the process alive for a while (as in bench/jobs.ts).
process.exit();
