/**
 * What one claim costs as the number of accounts with queued jobs grows: the claim statement
 * (src/jobs/claim.ts) run back to back, as one worker runs it (with its cursor; the claimed jobs
 * finish at once, untimed, between claims), against the same queue for each account count. With --baseline-root, the claim statement of another checkout runs
 * against the very same queue (each run is rolled back, so both see identical rows), alternated.
 *
 *   npx tsx bench/claim.ts [--accounts 4,16,200,1000,5000] [--claims 50] [--limit 10] [--jobs-per-account 3]
 *                          [--runs 3] [--baseline-root /path/to/other/checkout]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SqlLike } from '../src/db/client.js';
import * as thisTree from '../src/jobs/claim.js';
import type { ClaimOptions } from '../src/jobs/claim.js';
import type { JobRecord } from '../src/jobs/records.js';
import { formatNumber, machineInfo, numberList, parseOptions, positiveNumber, printTable, runBenchmark, startDatabase, writeResult } from './lib.js';
// The queue tests' own helpers: the same accounts and placeholder jobs, 500 per submit statement.
import { newAccount, queueManyJobs } from '../test/support/jobs.js';

const options = parseOptions(
  {
    accounts: { default: '4,16,200,1000,5000', description: 'accounts with queued jobs, one queue per value' },
    claims: { default: '50', description: 'claims per run' },
    limit: { default: '10', description: 'jobs per claim (a worker with this many free slots)' },
    'jobs-per-account': { default: '3', description: 'queued jobs per account (at least enough for every claim to be full)' },
    runs: { default: '3', description: 'runs per tree and account count, alternated' },
    'baseline-root': { default: '', description: 'another checkout whose src/jobs/claim.ts runs as the baseline' },
  },
  'Usage: npx tsx bench/claim.ts [options]',
);
const accountCounts = numberList(options.accounts, 'accounts');
const claims = Math.floor(positiveNumber(options.claims, 'claims'));
const limit = Math.floor(positiveNumber(options.limit, 'limit'));
const jobsPerAccount = Math.floor(positiveNumber(options['jobs-per-account'], 'jobs-per-account'));
const runs = Math.floor(positiveNumber(options.runs, 'runs'));

type ClaimModule = { claimJobs: (sql: SqlLike, options: ClaimOptions) => Promise<JobRecord[]>; nextClaimCursor?: typeof thisTree.nextClaimCursor };

interface Measured {
  msPerClaim: number;
  rowsReadPerClaim: number;
  jobsPerClaim: number;
}

class RolledBack extends Error {}

/** `claims` claims in one transaction, rolled back: elapsed time and the rows of `jobs` read. */
async function measure(sql: import('../src/db/client.js').Sql, implementation: ClaimModule): Promise<Measured> {
  let measured: Measured | undefined;
  await sql
    .begin(async (tx) => {
      const reads = async () => Number((await tx<{ rows: number }[]>`select (seq_tup_read + coalesce(idx_tup_fetch, 0))::int as rows from pg_stat_xact_user_tables where relname = 'jobs'`)[0]!.rows);
      let cursor: string | undefined;
      let jobs = 0;
      let elapsed = 0;
      let rowsRead = 0;
      for (let index = 0; index < claims; index++) {
        const before = await reads();
        const started = performance.now();
        const claimed = await implementation.claimJobs(tx, { workerId: 'bench', limit, leaseMs: 60_000, defaultMaxRunningPerAccount: 10, afterAccount: cursor });
        elapsed += performance.now() - started;
        rowsRead += (await reads()) - before;
        cursor = implementation.nextClaimCursor?.(cursor, claimed, limit);
        jobs += claimed.length;
        // The jobs finish at once (not timed), as with a worker whose jobs are instant: running
        // slots free up, and the claimed rows' old versions stay in the queued index until vacuum.
        await tx`update jobs set status = 'SUCCEEDED', finished_at = now() where id = any(${claimed.map((job) => job.id)}::uuid[])`;
      }
      measured = { msPerClaim: elapsed / claims, rowsReadPerClaim: rowsRead / claims, jobsPerClaim: jobs / claims };
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return measured!;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

await runBenchmark(async (cleanup) => {
  const { database } = await startDatabase(cleanup, 2);
  const sql = database.sql;
  const baselineRoot = options['baseline-root'];
  const baseline: ClaimModule | undefined = baselineRoot ? ((await import(pathToFileURL(path.join(path.resolve(baselineRoot), 'src', 'jobs', 'claim.ts')).href)) as ClaimModule) : undefined;
  const trees: [string, ClaimModule][] = [['this tree', thisTree], ...(baseline ? [[`baseline (${baselineRoot})`, baseline] as [string, ClaimModule]] : [])];
  const accounts: string[] = [];
  const rows: { accounts: number; tree: string; runs: Measured[] }[] = [];
  for (const count of accountCounts) {
    while (accounts.length < count) accounts.push(await newAccount(sql, 0));
    await sql`delete from job_events`;
    await sql`delete from jobs`;
    // Enough jobs that every claim of every run is full.
    const perAccount = Math.max(jobsPerAccount, Math.ceil((claims * limit) / count) + 1);
    await queueManyJobs(sql, accounts.slice(0, count), perAccount * count);
    await sql`vacuum analyze jobs`;
    const results = new Map<string, Measured[]>(trees.map(([name]) => [name, []]));
    // A warm-up run of each, then the measured runs alternated.
    for (const [, implementation] of trees) await measure(sql, implementation);
    for (let run = 0; run < runs; run++) {
      for (const [name, implementation] of trees) results.get(name)!.push(await measure(sql, implementation));
    }
    for (const [name] of trees) rows.push({ accounts: count, tree: name, runs: results.get(name)! });
    console.log(`${count} accounts x ${perAccount} queued jobs: done`);
  }
  printTable(
    `One claim of ${limit} jobs, ${claims} claims per run back to back (rolled back), ${runs} runs each: mean (min-max)`,
    ['accounts with queued jobs', 'tree', 'ms per claim', 'rows of jobs read per claim', 'jobs per claim'],
    rows.map((row) => [
      formatNumber(row.accounts, 0),
      row.tree,
      `${formatNumber(mean(row.runs.map((run) => run.msPerClaim)), 2)} (${formatNumber(Math.min(...row.runs.map((run) => run.msPerClaim)), 2)}-${formatNumber(Math.max(...row.runs.map((run) => run.msPerClaim)), 2)})`,
      formatNumber(mean(row.runs.map((run) => run.rowsReadPerClaim)), 0),
      formatNumber(mean(row.runs.map((run) => run.jobsPerClaim)), 1),
    ]),
  );
  const file = await writeResult('claim', { machine: machineInfo(), options: { accountCounts, claims, limit, jobsPerAccount, runs, baselineRoot: baselineRoot || undefined }, rows });
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
});
