/**
 * Scale-out: near-free jobs (see near-free-job.ts: an upstream stand-in, or the `placeholder` at
 * its cheapest) through separate API and worker processes on one PostgreSQL, 1 API + 1 worker
 * against 2 API + 2 workers (`--topologies`), in interleaved rounds. Submissions are spread over
 * the API processes; every job must end SUCCEEDED, charged, the balances down by what was charged.
 *
 * What limits a round decides what "scaling" can show:
 * - upstream answering at once (`--upstream-latency-ms 0`): the job is the gateway's own CPU work,
 *   so on a 2-core machine the cores are the ceiling, not the processes (CPU-bound);
 * - upstream taking its time (`--upstream-latency-ms 250`): each job holds one of the worker's
 *   `--worker-concurrency` slots for the call, so jobs/s is bounded by slots ÷ latency and grows
 *   with worker processes until the CPU becomes the limit (latency-bound).
 * Each round reports the machine's CPU use, its busiest process and how full the worker slots
 * were, and is labelled by what was the limit (see `limitOf`); also CPU ms per job of the Pictor processes and of
 * PostgreSQL, and what the same processes use idle (their background cost, spread over fewer jobs
 * per second when an upstream is slow).
 *
 *   npx tsx bench/scale-out.ts [--jobs 300] [--rounds 2] [--worker-concurrency 5] [--submitters 16]
 *     [--kind upstream|placeholder] [--upstream-latency-ms 0,250] [--upstream-jitter-ms 0] [--topologies 1x1,2x2]
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startPictor, type ChildServer } from './children.js';
import { CpuMeter, waitForQuietMachine } from './cpu.js';
import { createAccounts, formatNumber, machineInfo, numberList, parseOptions, positiveNumber, printTable, runBenchmark, sleep, startDatabase, summarize, writeResult, type Cleanup } from './lib.js';
import { startNearFreeUpstream, submitNearFreeJob, type NearFreeKind } from './near-free-job.js';
import { machineBusySeconds, ownCpuSeconds, postgresCpuSeconds } from './proc.js';

const options = parseOptions(
  {
    jobs: { default: '300', description: 'jobs per round' },
    rounds: { default: '2', description: 'rounds per topology, interleaved (1x1, 2x2, 2x2, 1x1, ...)' },
    'worker-concurrency': { default: '5', description: 'WORKER_CONCURRENCY of each worker process (its upstream limit XAI_CONCURRENCY too), the same in every topology' },
    concurrency: { default: '', description: 'older name of --worker-concurrency' },
    submitters: { default: '16', description: 'closed-loop clients submitting the jobs (one account each)' },
    kind: { default: 'upstream', description: 'upstream: grok-imagine on a local stand-in; placeholder: the local engine at its cheapest' },
    'upstream-jitter-ms': { default: '0', description: 'each upstream answer comes up to this many ms earlier or later than --upstream-latency-ms (uniform; at most the latency)' },
    'upstream-latency-ms': { default: '0', description: 'ms the upstream stand-in waits before answering; a list (0,250) runs every topology at each' },
    topologies: { default: '1x1,2x2', description: 'API x worker process counts, one per topology' },
    idle: { default: '2', description: 'seconds the started processes are measured idle before each round (their background CPU; 0 = skip)' },
    'quiet-wait': { default: '30', description: 'seconds to wait, before each round, for other processes on the machine to go quiet (0 = no wait)' },
  },
  'Usage: npx tsx bench/scale-out.ts [options]',
);
const jobsPerRound = Math.max(1, Math.floor(positiveNumber(options.jobs, 'jobs')));
const rounds = Math.max(1, Math.floor(positiveNumber(options.rounds, 'rounds')));
const concurrency = Math.max(1, Math.floor(positiveNumber(options.concurrency || options['worker-concurrency'], 'worker-concurrency')));
const submitters = Math.max(1, Math.floor(positiveNumber(options.submitters, 'submitters')));
if (options.kind !== 'upstream' && options.kind !== 'placeholder') throw new Error(`--kind must be upstream or placeholder, got ${options.kind}`);
const kind: NearFreeKind = options.kind;
const jitterMs = positiveNumber(options['upstream-jitter-ms'], 'upstream-jitter-ms');
const latencies = numberList(options['upstream-latency-ms'], 'upstream-latency-ms');
if (latencies.length === 0) latencies.push(0);
if (kind === 'placeholder' && latencies.some((latency) => latency > 0)) throw new Error('--upstream-latency-ms needs --kind upstream (the placeholder calls no upstream)');
const topologies = options.topologies.split(',').map((text) => {
  const match = /^\s*(\d+)x(\d+)\s*$/.exec(text);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new Error(`--topologies: expected APIxWORKERS like 2x2, got "${text}"`);
  return { apis: Number(match[1]), workers: Number(match[2]) };
});
const cores = os.availableParallelism();
const idleMs = positiveNumber(options.idle, 'idle') * 1000;
const quietWaitMs = positiveNumber(options['quiet-wait'], 'quiet-wait') * 1000;

/** Machine CPU at or above this share of all cores, or one process at this share of a core: CPU-bound. */
const CPU_BOUND_SHARE = 0.85;
/** Worker slots busy at least this share of the round: the slots were the limit. */
const SLOT_BOUND_SHARE = 0.75;
/** A job running longer than this many times the upstream's latency was stretched by CPU work or queueing. */
const STRETCHED = 1.2;

/**
 * What held a round back. Latency-bound: the worker slots were full and a job took about the
 * upstream's latency, so more slots (processes) mean more jobs/s. CPU-bound: the machine, or one
 * process's thread, was busy. Slots full while jobs ran well past the latency: the slots were the
 * limit, but CPU work stretched every job.
 */
function limitOf(upstreamLatencyMs: number, slotsBusy: number, runningP50Ms: number, machineCpu: number, busiest: { role: string; share: number }): string {
  if (machineCpu >= CPU_BOUND_SHARE) return 'CPU-bound (the machine)';
  if (busiest.share >= CPU_BOUND_SHARE) return `CPU-bound (one ${busiest.role} process)`;
  if (upstreamLatencyMs > 0 && slotsBusy >= SLOT_BOUND_SHARE) {
    const stretch = runningP50Ms / upstreamLatencyMs;
    return stretch > STRETCHED ? `worker slots, jobs stretched x${formatNumber(stretch, 2)}` : 'latency-bound (worker slots)';
  }
  return 'neither';
}

interface CpuSample {
  machine: number;
  bench: number;
  pictor: number;
  postgres: number;
  /** Each Pictor process's own CPU seconds, in the order given. */
  processes: number[];
}

/** CPU seconds used so far by the whole machine and by each of our parties: the bench, the Pictor processes, PostgreSQL. */
async function cpuSample(children: ChildServer[], postmasterPid: number | undefined): Promise<CpuSample> {
  const childSeconds = await Promise.all(children.map((child) => child.cpuSeconds()));
  const postgres = await postgresCpuSeconds(postmasterPid);
  return {
    machine: await machineBusySeconds(),
    bench: ownCpuSeconds(),
    pictor: childSeconds.reduce((sum, seconds) => sum + seconds, 0),
    postgres: Number.isNaN(postgres) ? 0 : postgres,
    processes: childSeconds,
  };
}

interface Round {
  topology: string;
  apis: number;
  workers: number;
  upstreamLatencyMs: number;
  round: number;
  jobsPerSecond: number;
  seconds: number;
  submitP50Ms: number;
  /** Median ms from a job's start to its finish (the upstream wait included), from the rows. */
  runningP50Ms: number;
  /** Median ms of the upstream calls themselves as the workers timed them (`provider_calls`): the rest of the running time is the job's own work and waits around the call. */
  upstreamCallP50Ms: number | undefined;
  /** Most jobs/s the worker slots allow when a job takes only the upstream's latency (none at latency 0). */
  slotCeiling: number | undefined;
  /** Job running time ÷ (worker slots × round time): how full the slots were. */
  slotsBusy: number;
  /** Busy CPU of the whole machine over the round, as a share of all its cores. */
  machineCpu: number;
  /** The part of it used by other processes than this bench, its Pictor children and PostgreSQL. */
  otherCpu: number;
  /** The busiest Pictor process over the round and its share of one core. */
  busiest: { role: string; share: number };
  /** CPU milliseconds per job over the round: all Pictor processes (APIs and workers) together, and PostgreSQL. */
  cpuMsPerJob: { pictor: number; postgres: number };
  /** Percent of one core the same processes used while idle just before the round (with --idle). */
  idleCpuPercent: { pictor: number; postgres: number } | undefined;
  limit: string;
}

function topologyName(apis: number, workers: number): string {
  return `${apis} API + ${workers} worker${workers > 1 ? 's' : ''}`;
}

async function startTopology(databaseUrl: string, apis: number, workers: number, upstreamEnv: Record<string, string>, cleanup: Cleanup): Promise<{ apis: ChildServer[]; workers: ChildServer[] }> {
  const env = {
    WORKER_CONCURRENCY: String(concurrency),
    // The upstream's own per-process limit (default 8) must not cap the worker's slots.
    XAI_CONCURRENCY: String(concurrency),
    MAX_RUNNING_JOBS_PER_ACCOUNT: String(concurrency * workers),
    RATE_LIMIT_PER_MINUTE: '0',
    ...upstreamEnv,
  };
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

  for (const upstreamLatencyMs of latencies) {
    const upstream = kind === 'upstream' ? await startNearFreeUpstream({ latencyMs: upstreamLatencyMs, jitterMs }) : undefined;
    for (let round = 1; round <= rounds; round++) {
      for (const { apis, workers } of round % 2 === 1 ? topologies : [...topologies].reverse()) {
        const topology = topologyName(apis, workers);
        const processes = await startTopology(database.url, apis, workers, upstream?.env ?? {}, cleanup);
        const children = [...processes.apis, ...processes.workers];
        await waitForQuietMachine(new CpuMeter(processes.apis[0]!, database.postmasterPid), quietWaitMs);
        let idleCpuPercent: Round['idleCpuPercent'];
        if (idleMs > 0) {
          const idleBefore = await cpuSample(children, database.postmasterPid);
          await sleep(idleMs);
          const idleAfter = await cpuSample(children, database.postmasterPid);
          idleCpuPercent = { pictor: ((idleAfter.pictor - idleBefore.pictor) / idleMs) * 100_000, postgres: ((idleAfter.postgres - idleBefore.postgres) / idleMs) * 100_000 };
        }
        const balanceBefore = await balance();
        const agents = processes.apis.map(() => new http.Agent({ keepAlive: true, maxSockets: submitters }));
        const ids: string[] = [];
        const submitLatencies: number[] = [];
        const cpuBefore = await cpuSample(children, database.postmasterPid);
        const measuredFrom = performance.now();
        const [{ begun }] = await sql<{ begun: Date }[]>`select clock_timestamp() as begun`;
        let next = 0;
        await Promise.all(
          Array.from({ length: submitters }, async (_, client) => {
            while (next < jobsPerRound) {
              const index = next++;
              const api = index % processes.apis.length;
              const sentAt = performance.now();
              ids.push(await submitNearFreeJob(agents[api]!, processes.apis[api]!.port, keys[client]!.key, kind));
              submitLatencies.push(performance.now() - sentAt);
            }
          }),
        );
        for (const agent of agents) agent.destroy();
        for (;;) {
          const [state] = await sql<{ open: number }[]>`select count(*)::int as open from jobs where id = any(${ids}::uuid[]) and finished_at is null`;
          if (state!.open === 0) break;
          // The timing comes from the rows; polling less often keeps the bench's own load down.
          await sleep(100);
        }
        const cpuAfter = await cpuSample(children, database.postmasterPid);
        const coreSeconds = ((performance.now() - measuredFrom) / 1000) * cores;
        const machineCpu = (cpuAfter.machine - cpuBefore.machine) / coreSeconds;
        const used = (party: Exclude<keyof CpuSample, 'processes'>) => cpuAfter[party] - cpuBefore[party];
        const busiest = children
          .map((_, index) => ({
            role: index < processes.apis.length ? 'API' : 'worker',
            share: (cpuAfter.processes[index]! - cpuBefore.processes[index]!) / (coreSeconds / cores),
          }))
          .reduce((most, entry) => (entry.share > most.share ? entry : most));
        const otherCpu = Math.max(0, used('machine') - used('bench') - used('pictor') - used('postgres')) / coreSeconds;
        const cpuMsPerJob = { pictor: (used('pictor') * 1000) / jobsPerRound, postgres: (used('postgres') * 1000) / jobsPerRound };
        const [summary] = await sql<{ succeeded: number; unbilled: number; credits: number; lastFinish: Date; runningP50Ms: number; runningSeconds: number }[]>`
          select count(*) filter (where status = 'SUCCEEDED')::int as succeeded, count(*) filter (where credits_charged = 0)::int as unbilled,
            sum(credits_charged)::int as credits, max(finished_at) as last_finish,
            percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at) * 1000) as running_p50_ms,
            sum(extract(epoch from finished_at - started_at))::float8 as running_seconds
          from jobs where id = any(${ids}::uuid[])`;
        const [calls] = await sql<{ p50: number | null }[]>`
          select percentile_cont(0.5) within group (order by duration_ms) as p50 from provider_calls where created_at >= ${begun!}`;
        if (summary!.succeeded !== jobsPerRound) throw new Error(`${topology} round ${round}: ${summary!.succeeded} of ${jobsPerRound} jobs succeeded`);
        const charged = balanceBefore - (await balance());
        if (summary!.unbilled > 0 || charged !== summary!.credits)
          throw new Error(`${topology} round ${round}: balances down ${charged}, jobs charged ${summary!.credits}, ${summary!.unbilled} unbilled`);
        const seconds = (summary!.lastFinish.getTime() - begun!.getTime()) / 1000;
        const slotsBusy = summary!.runningSeconds / (workers * concurrency * seconds);
        const limit = limitOf(upstreamLatencyMs, slotsBusy, summary!.runningP50Ms, machineCpu, busiest);
        results.push({
          topology,
          apis,
          workers,
          upstreamLatencyMs,
          round,
          jobsPerSecond: jobsPerRound / seconds,
          seconds,
          submitP50Ms: summarize(submitLatencies).p50,
          runningP50Ms: summary!.runningP50Ms,
          upstreamCallP50Ms: calls!.p50 ?? undefined,
          slotCeiling: upstreamLatencyMs > 0 ? (workers * concurrency * 1000) / upstreamLatencyMs : undefined,
          slotsBusy,
          machineCpu,
          otherCpu,
          busiest,
          cpuMsPerJob,
          idleCpuPercent,
          limit,
        });
        console.log(
          `  upstream ${upstreamLatencyMs} ms, round ${round} ${topology}: ${formatNumber(jobsPerRound / seconds, 1)} jobs/s, slots ${formatNumber(slotsBusy * 100, 0)}% busy, machine CPU ${formatNumber(machineCpu * 100, 0)}% (other processes ${formatNumber(otherCpu * 100, 0)}%), ${limit}`,
        );
        for (const child of [...processes.workers, ...processes.apis]) await child.stop();
      }
    }
    await upstream?.close();
  }

  printTable(
    `Near-free jobs (${kind}) through separate API and worker processes (${jobsPerRound} per round, WORKER_CONCURRENCY ${concurrency} per worker, upstream jitter ±${jitterMs} ms, ${submitters} submitters, ${cores} cores)`,
    [
      'upstream ms',
      'topology',
      'round',
      'jobs/s',
      'slot ceiling jobs/s',
      'seconds',
      'submit p50 ms',
      'running p50 ms',
      'upstream call p50 ms',
      'slots busy',
      'machine CPU (other)',
      'busiest process',
      'CPU ms/job Pictor/pg',
      'idle CPU % Pictor/pg',
      'limit',
    ],
    results.map((result) => [
      String(result.upstreamLatencyMs),
      result.topology,
      String(result.round),
      formatNumber(result.jobsPerSecond, 1),
      formatNumber(result.slotCeiling, 0),
      formatNumber(result.seconds, 2),
      formatNumber(result.submitP50Ms, 1),
      formatNumber(result.runningP50Ms, 0),
      formatNumber(result.upstreamCallP50Ms, 0),
      `${formatNumber(result.slotsBusy * 100, 0)}%`,
      `${formatNumber(result.machineCpu * 100, 0)}% (${formatNumber(result.otherCpu * 100, 0)}%)`,
      `${result.busiest.role} ${formatNumber(result.busiest.share * 100, 0)}%`,
      `${formatNumber(result.cpuMsPerJob.pictor, 1)}/${formatNumber(result.cpuMsPerJob.postgres, 1)}`,
      result.idleCpuPercent ? `${formatNumber(result.idleCpuPercent.pictor, 1)}/${formatNumber(result.idleCpuPercent.postgres, 1)}` : '-',
      result.limit,
    ]),
  );
  // Growth: each topology's best round against the first topology's best round, per latency.
  const growth = latencies.map((upstreamLatencyMs) => {
    const best = topologies.map(({ apis, workers }) => ({
      topology: topologyName(apis, workers),
      jobsPerSecond: Math.max(
        ...results.filter((result) => result.upstreamLatencyMs === upstreamLatencyMs && result.apis === apis && result.workers === workers).map((result) => result.jobsPerSecond),
      ),
    }));
    return { upstreamLatencyMs, best: best.map((entry) => ({ ...entry, ratio: entry.jobsPerSecond / best[0]!.jobsPerSecond })) };
  });
  console.log('');
  for (const { upstreamLatencyMs, best } of growth) {
    const limits = [...new Set(results.filter((result) => result.upstreamLatencyMs === upstreamLatencyMs).map((result) => result.limit))].join(', ');
    console.log(
      `Upstream ${upstreamLatencyMs} ms, best rounds: ${best.map((entry) => `${entry.topology} ${formatNumber(entry.jobsPerSecond, 1)} jobs/s (x${formatNumber(entry.ratio, 2)})`).join(', ')}; limit: ${limits}`,
    );
  }
  const file = await writeResult('scale-out', {
    benchmark: 'scale-out',
    date: new Date().toISOString(),
    machine: machineInfo(),
    options: { kind, jobsPerRound, rounds, concurrency, submitters, upstreamLatencies: latencies, upstreamJitterMs: jitterMs, topologies, idleMs, quietWaitMs },
    rounds: results,
    growth,
    totalSeconds: (performance.now() - startedAt) / 1000,
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
});
