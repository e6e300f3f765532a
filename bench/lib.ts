/**
 * Shared pieces of the benchmarks: statistics, option parsing, the database (embedded or
 * DATABASE_URL), cleanup that also runs on Ctrl-C, and result output.
 * Reading /proc lives in proc.ts, CPU accounting per measured window in cpu.ts. Benchmarks are
 * not tests: they print numbers and compare them with a baseline measured in the same run.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAccountWithKey, type CreatedKey } from '../src/accounts/api-keys.js';
import { connect, runMigrations, type Database } from '../src/db/client.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { coerceError } from '../src/errors.js';

/** What closed-loop callers did: completions inside the measured window, and every call made. */
export interface ClosedLoopResult {
  /** Latencies of the successful calls that completed inside the window. */
  latencies: number[];
  /** Failed calls that completed inside the window, and the first failure's text. */
  errors: number;
  firstError: string | undefined;
  /** Successful calls over the whole run, warm-up included (what wrote to the database). */
  succeeded: number;
  requests: number;
}

/**
 * `callers` closed-loop callers, each making its next call when the previous one answered, until
 * `measureUntil` or `maxRequests` calls in all. `call` returns a failure's text (or throws) and
 * nothing on success. Only completions between `measureFrom` and `measureUntil` count toward
 * latency and errors; the warm-up is discarded.
 */
export async function closedLoop(options: {
  callers: number;
  measureFrom: number;
  measureUntil: number;
  maxRequests: number;
  call: (caller: number) => Promise<string | undefined>;
}): Promise<ClosedLoopResult> {
  const result: ClosedLoopResult = { latencies: [], errors: 0, firstError: undefined, succeeded: 0, requests: 0 };
  const caller = async (index: number) => {
    while (performance.now() < options.measureUntil && result.requests < options.maxRequests) {
      result.requests++;
      const sentAt = performance.now();
      let failure: string | undefined;
      try {
        failure = await options.call(index);
      } catch (error) {
        failure = String(error);
      }
      const doneAt = performance.now();
      if (!failure) result.succeeded++;
      if (doneAt < options.measureFrom || doneAt > options.measureUntil) continue;
      if (failure) {
        result.errors++;
        result.firstError ??= failure;
      } else {
        result.latencies.push(doneAt - sentAt);
      }
    }
  };
  await Promise.all(Array.from({ length: options.callers }, (_, index) => caller(index)));
  return result;
}

/** Repository root: children run from here so `src/main.ts` finds `drizzle/`. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = path.join(repoRoot, 'bench', 'results');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (`fraction` in 0..1). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const sum = list.reduce((total, value) => total + value, 0);
  return {
    count: list.length,
    mean: list.length ? sum / list.length : Number.NaN,
    p50: percentile(list, 0.5),
    p90: percentile(list, 0.9),
    p99: percentile(list, 0.99),
    max: list.length ? list[list.length - 1]! : Number.NaN,
  };
}

/** Fixed decimals, `-` for missing values (NaN), for tables. */
export function formatNumber(value: number | undefined, decimals = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function printTable(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(`|${widths.map((width, column) => (column === 0 ? `${'-'.repeat(width + 1)}-` : `-${'-'.repeat(width)}:`)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------------------------------------
// Options: `--name value` / `--name=value` flags, with a `BENCH_NAME` environment fallback.

export type OptionSpec = Record<string, { default: string; description: string }>;

export function parseOptions<Spec extends OptionSpec>(spec: Spec, usage: string): { [Name in keyof Spec]: string } {
  const { values } = parseArgs({
    options: { ...Object.fromEntries(Object.keys(spec).map((name) => [name, { type: 'string' as const }])), help: { type: 'boolean' } },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(usage);
    for (const [name, option] of Object.entries(spec)) {
      console.log(`  --${name.padEnd(24)} ${option.description} (default ${option.default || 'off'}; env ${envName(name)})`);
    }
    process.exit(0);
  }
  const parsed: Record<string, string> = {};
  for (const [name, option] of Object.entries(spec)) {
    const value = (values as Record<string, string | boolean | undefined>)[name];
    parsed[name] = typeof value === 'string' ? value : (process.env[envName(name)] ?? option.default);
  }
  return parsed as { [Name in keyof Spec]: string };
}

function envName(option: string): string {
  return `BENCH_${option.replace(/-/g, '_').toUpperCase()}`;
}

export function positiveNumber(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`--${name}: expected a non-negative number, got "${value}"`);
  return number;
}

export function numberList(value: string, name: string): number[] {
  if (value.trim() === '') return [];
  return value.split(',').map((part) => positiveNumber(part.trim(), name));
}

export function flag(value: string): boolean {
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Cleanup: every resource registers how to release it; `run()` releases in reverse order, once,
// whether the benchmark finished, failed or was interrupted.

export class Cleanup {
  private readonly tasks: { what: string; release: () => Promise<void> | void }[] = [];
  private running: Promise<void> | undefined;

  add(what: string, release: () => Promise<void> | void): void {
    this.tasks.push({ what, release });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (let task = this.tasks.pop(); task; task = this.tasks.pop()) {
        try {
          await task.release();
        } catch (error) {
          console.error(`cleanup: ${task.what} failed: ${coerceError(error).message}`);
        }
      }
    })();
    return this.running;
  }
}

/**
 * Runs a benchmark with a cleanup stack that is always drained: on success, on error, and on
 * SIGINT/SIGTERM (then exits 130), so no PostgreSQL or server child is left behind.
 */
export async function runBenchmark(main: (cleanup: Cleanup) => Promise<void>): Promise<void> {
  const cleanup = new Cleanup();
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`\n${signal}: stopping children and PostgreSQL...`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await main(cleanup);
  } catch (error) {
    // After Ctrl-C the failures are only the children going away underneath the benchmark.
    if (!interrupted) console.error(coerceError(error).stack ?? String(error));
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

// ---------------------------------------------------------------------------------------------
// Database

export interface BenchDatabase {
  /** URL of the benchmark database (what the server child gets as DATABASE_URL). */
  url: string;
  /** Migrated pool for the bench's own statements. */
  database: Database;
  /** Arguments that point pgbench/psql at the same database, and the environment they need. */
  libpq: { args: string[]; env: Record<string, string> };
  /** Pid of the postmaster when we started it (to account PostgreSQL's CPU time). */
  postmasterPid: number | undefined;
  embedded: boolean;
}

/**
 * DATABASE_URL when set (use a scratch database: the benchmark adds accounts, jobs and a
 * `bench_insert` table), otherwise an embedded PostgreSQL in a temporary directory holding a
 * fresh `pictor_bench` database.
 */
export async function startDatabase(cleanup: Cleanup, poolSize = 8): Promise<BenchDatabase> {
  let url = process.env.DATABASE_URL;
  let postmasterPid: number | undefined;
  if (!url) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-bench-'));
    cleanup.add('remove the temporary data directory', () => fs.rm(dataDir, { recursive: true, force: true }));
    const embedded = await startEmbeddedPostgres({ dataDir });
    cleanup.add('stop embedded PostgreSQL', () => embedded.stop());
    const admin = connect(embedded.url, { max: 1 });
    try {
      await admin.sql.unsafe('create database pictor_bench');
    } finally {
      await admin.close();
    }
    url = embedded.urlFor('pictor_bench');
    const pidFile = await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    postmasterPid = Number.parseInt(pidFile.split('\n')[0] ?? '', 10) || undefined;
  }
  const database = connect(url, { max: poolSize });
  cleanup.add('close the bench database pool', () => database.close());
  await runMigrations(database);
  return { url, database, libpq: libpqTarget(url), postmasterPid, embedded: postmasterPid !== undefined };
}

/** `-h -p -U dbname` for pgbench/psql from a postgres URL (socket directory in `?host=`). */
function libpqTarget(url: string): { args: string[]; env: Record<string, string> } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host') ?? parsed.hostname;
  const port = parsed.searchParams.get('port') ?? (parsed.port || '5432');
  const user = decodeURIComponent(parsed.username) || os.userInfo().username;
  const databaseName = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || user;
  const env: Record<string, string> = {};
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return { args: ['-h', host, '-p', port, '-U', user, databaseName], env };
}

/** Accounts with big balances, one key each (created directly, like `npm run cli -- keys create`). */
export async function createAccounts(database: Database, count: number, name: string): Promise<CreatedKey[]> {
  const keys: CreatedKey[] = [];
  for (let index = 0; index < count; index++) {
    keys.push(await createAccountWithKey(database.sql, { name: `${name}-${index}`, credits: 1_000_000_000, scopes: ['generate', 'read'] }));
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Server metrics and results

/** Parses Prometheus text (`name value` lines) from the server's /metrics. */
export async function readMetrics(baseUrl: string): Promise<Map<string, number>> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const metrics = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (match) metrics.set(match[1]!, Number(match[2]));
  }
  return metrics;
}

export async function metric(baseUrl: string, name: string): Promise<number> {
  const value = (await readMetrics(baseUrl)).get(name);
  if (value === undefined) throw new Error(`metric ${name} missing from /metrics`);
  return value;
}

/**
 * Where a CPU profile of one measured window goes: `bench/results/<name>-<timestamp>-profile-<window>.json`
 * (a V8 .cpuprofile; the .json name keeps it under the folder's ignore rule. Chrome DevTools
 * loads it as is; VS Code wants it renamed to .cpuprofile).
 */
export function profilePath(name: string, window: string): string {
  return path.join(resultsDir, `${name}-${runStamp}-profile-${window}.json`);
}

export function machineInfo() {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    /** 1/5/15-minute load averages when the run started: other work on the machine skews results. */
    loadAverage: os.loadavg(),
  };
}

/** When this run started, in file names: a run's result and profiles sort together. */
const runStamp = new Date().toISOString().replace(/[:.]/g, '-');

/** Writes `bench/results/<name>-<timestamp>.json` and returns its path. */
export async function writeResult(name: string, result: unknown): Promise<string> {
  await fs.mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}-${runStamp}.json`);
  await fs.writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
