/**
 * What the wake-up trigger costs the write path: pgbench running Pictor's submit statement (credit
 * hold, job row, ledger entry, QUEUED event: the statement of src/jobs/submit.ts) with the
 * `job_events_notify` trigger enabled and disabled, alternating, on one PostgreSQL, with one
 * process LISTENing as in a deployment. NOTIFY takes a cluster-wide lock from the moment its
 * transaction starts committing until it has committed, so the question is how much commit
 * throughput that serialisation costs at each client count (the trigger lets one writer at a time
 * notify per kind for that reason; see drizzle/0011_job-write-wakeups.sql).
 *
 *   npx tsx bench/job-write-notify.ts [--clients 1,16,64] [--duration 5] [--rounds 3]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Channels } from '../src/jobs/records.js';
import { createAccounts, formatNumber, machineInfo, numberList, parseOptions, positiveNumber, printTable, runBenchmark, startDatabase, writeResult, type BenchDatabase } from './lib.js';

const execFileAsync = promisify(execFile);

const options = parseOptions(
  {
    clients: { default: '1,16,64', description: 'pgbench -c, one pair of series each' },
    duration: { default: '5', description: 'pgbench -T seconds per run' },
    rounds: { default: '3', description: 'runs with and without the trigger, alternating' },
    accounts: { default: '64', description: 'accounts the submissions are spread over' },
  },
  'Usage: npx tsx bench/job-write-notify.ts [options]',
);
const clientCounts = numberList(options.clients, 'clients')
  .map(Math.floor)
  .filter((count) => count > 0);
const seconds = Math.max(1, Math.round(positiveNumber(options.duration, 'duration')));
const rounds = Math.max(1, Math.floor(positiveNumber(options.rounds, 'rounds')));
const accountCount = Math.max(1, Math.floor(positiveNumber(options.accounts, 'accounts')));

/** The submit statement of src/jobs/submit.ts with a price of 1 credit, for a random account. */
const SUBMIT = `\\set n random(1, ${accountCount})
with account as (
  update accounts set balance = balance - 1
  where id = (select id from bench_accounts where n = :n) and balance >= 1
  returning id
), job as (
  insert into jobs (id, account_id, model_id, params, n, calls, reference_images, output, seed, max_attempts, timeout_ms, warnings, credits_held)
  select gen_random_uuid(), account.id, 'placeholder', '{"prompt":"bench"}'::jsonb, 1, '{1}'::integer[], '[]'::jsonb, '{}'::jsonb, 1, 3, 60000, '{}'::text[], 1
  from account
  returning *
), hold as (
  insert into credit_entries (account_id, job_id, kind, amount)
  select account_id, id, 'hold', -credits_held from job where credits_held > 0
), queued as (
  insert into job_events (job_id, account_id, type, status, progress)
  select id, account_id, 'QUEUED', 'QUEUED', 0 from job
)
select id from job;
`;

async function pgbench(database: BenchDatabase, script: string, clients: number): Promise<number> {
  const { stdout } = await execFileAsync('pgbench', ['-n', '-f', script, '-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(seconds), ...database.libpq.args], {
    env: { ...process.env, ...database.libpq.env },
    timeout: (seconds + 60) * 1000,
  });
  const tps = /^tps = ([\d.]+)/m.exec(stdout);
  if (!tps) throw new Error(`could not parse pgbench output:\n${stdout}`);
  return Number(tps[1]);
}

const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;

await runBenchmark(async (cleanup) => {
  console.log('Starting PostgreSQL...');
  const database = await startDatabase(cleanup);
  const { sql } = database.database;
  const accounts = await createAccounts(database.database, accountCount, 'notify bench');
  await sql`create table bench_accounts (n integer primary key, id uuid not null)`;
  await sql`insert into bench_accounts ${sql(accounts.map((account, index) => ({ n: index + 1, id: account.accountId })))}`;
  await sql`update accounts set balance = 1000000000 where id in (select id from bench_accounts)`;
  let heard = 0;
  const listener = await sql.listen(Channels.jobEvents, () => heard++);
  cleanup.add('unlisten', () => listener.unlisten());
  const script = path.join(os.tmpdir(), `pictor-bench-submit-${process.pid}.sql`);
  await fs.writeFile(script, SUBMIT);
  cleanup.add('remove the pgbench script', () => fs.rm(script, { force: true }));

  const rows: string[][] = [];
  const results = [];
  for (const clients of clientCounts) {
    const series = { with: [] as number[], without: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
        await sql.unsafe(`alter table job_events ${mode === 'with' ? 'enable' : 'disable'} trigger job_events_notify`);
        await sql`vacuum analyze jobs, job_events, accounts, credit_entries`;
        const tps = await pgbench(database, script, clients);
        series[mode].push(tps);
        console.log(`  ${clients} clients, trigger ${mode === 'with' ? 'on ' : 'off'}: ${formatNumber(tps, 0)} tps`);
      }
    }
    const ratio = median(series.with) / median(series.without);
    results.push({ clients, tpsWithTrigger: series.with, tpsWithoutTrigger: series.without, medianRatio: ratio });
    rows.push([String(clients), series.with.map((tps) => formatNumber(tps, 0)).join(' / '), series.without.map((tps) => formatNumber(tps, 0)).join(' / '), `${formatNumber(ratio * 100, 0)}%`]);
  }
  printTable(`Submit statement, pgbench -T ${seconds}, ${rounds} runs each, alternating (notifications heard: ${heard})`, ['clients', 'tps, trigger on', 'tps, trigger off', 'median on / off'], rows);
  console.log(`\nWrote ${await writeResult('job-write-notify', { machine: machineInfo(), seconds, rounds, accounts: accountCount, results })}`);
});
