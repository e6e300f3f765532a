/**
 * graphile-worker's `addJob` as a submission baseline (bench/submit.ts): closed-loop callers in
 * the bench process itself, so the CPU of graphile-worker and its pg client is the bench's share
 * of each window, and PostgreSQL's is its own.
 */
import { Logger, makeWorkerUtils, runMigrations as runGraphileMigrations } from 'graphile-worker';
import { type ChildServer } from './children.js';
import { CpuMeter, type CpuShares } from './cpu.js';
import { closedLoop, sleep, summarize, type BenchDatabase, type Summary } from './lib.js';

const silentLogger = new Logger(() => () => undefined);
/** What every addJob carries: the size of a small job's params. */
const ADD_JOB_PAYLOAD = { prompt: 'bench', aspectRatio: '1:1', resolution: '1K', steps: 8, stepMs: 250, outputFormat: 'png' };

/** graphile-worker `addJob` from this process at one client count. */
export interface AddJobResult {
  clients: number;
  jobsPerSecond: number;
  latencyMs: Summary;
  errors: number;
  firstError: string | undefined;
  /** `bench` is this process: the addJob callers (graphile-worker and its pg client). */
  cpuPercent: CpuShares;
  /** CPU milliseconds per job added, from the measured window. */
  cpuMsPerJob: { bench: number; postgres: number };
  /** Over the whole run (warm-up included), per job added, as for the submissions. */
  perJob: { writeTransactions: number; walBytes: number };
  attempts?: number;
}

/** One addJob run: callers (and pool connections), and the same warm-up and window as the submissions. */
export interface AddJobLoad {
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** Upper bound on calls, whatever the duration. */
  maxRequests: number;
}

/** graphile-worker's schema in the bench database (its migrations; idempotent). */
export async function prepareAddJob(database: BenchDatabase): Promise<void> {
  await runGraphileMigrations({ connectionString: database.url, logger: silentLogger });
}

/**
 * graphile-worker's `addJob` from `clients` closed-loop callers in this process, over a pg pool of
 * `clients` connections, with the same warm-up and window as the submissions in submit.ts. No
 * worker runs: the jobs stay queued, as Pictor's do in the submission runs (ROLE=api).
 */
export async function runAddJob(server: ChildServer, database: BenchDatabase, { clients, warmupMs, durationMs, maxRequests }: AddJobLoad): Promise<AddJobResult> {
  const utils = await makeWorkerUtils({ connectionString: database.url, maxPoolSize: clients, logger: silentLogger });
  try {
    const cpu = new CpuMeter(server, database.postmasterPid);
    const start = performance.now();
    const measureFrom = start + warmupMs;
    const measureUntil = measureFrom + durationMs;
    const observation = (async () => {
      await sleep(warmupMs);
      await cpu.begin();
      await sleep(durationMs);
      return cpu.end();
    })();
    const before = await walPosition(database);
    const { latencies, errors, firstError, succeeded } = await closedLoop({
      callers: clients,
      measureFrom,
      measureUntil,
      maxRequests,
      call: async () => void (await utils.addJob('bench_noop', ADD_JOB_PAYLOAD)),
    });
    const after = await walPosition(database);
    const cpuPercent = await observation;
    const jobsPerSecond = latencies.length / (durationMs / 1000);
    const perJob = (percent: number) => (percent * 10) / jobsPerSecond;
    return {
      clients,
      jobsPerSecond,
      latencyMs: summarize(latencies),
      errors,
      firstError,
      cpuPercent,
      cpuMsPerJob: { bench: perJob(cpuPercent.bench), postgres: perJob(cpuPercent.postgres) },
      perJob: { writeTransactions: (Number(after.xid) - Number(before.xid) - 1) / succeeded, walBytes: (Number(after.lsn) - Number(before.lsn)) / succeeded },
    };
  } finally {
    await utils.release();
  }
}

/** The next transaction id and the WAL position (reading the xid assigns one: subtract it). */
export async function walPosition(database: BenchDatabase): Promise<{ xid: string; lsn: string }> {
  return (await database.database.sql<{ xid: string; lsn: string }[]>`select pg_current_xact_id()::text as xid, (pg_current_wal_lsn() - '0/0')::text as lsn`)[0]!;
}
