/**
 * Every benchmark in one go, printing ONE JSON line (on stdout; the benchmarks' own tables go to
 * stderr) with every figure and every ratio to the baseline measured in the same run: pgbench's
 * single-row insert and graphile-worker's `addJob` for submissions, graphile-worker for jobs, a raw
 * `ws` server for live updates.
 *
 *   npm run bench -- --quick          # about 4 minutes: submit, jobs at small sizes, realtime at 10,000 subscribers
 *   npm run bench                     # the full default sizes of each (about 10 minutes)
 *   npm run bench -- --quick --baseline-root /tmp/pictor-before
 *
 * `--baseline-root DIR` runs submit and jobs a second time with the Pictor server started from
 * another checkout (e.g. `git archive <commit> | tar -x -C DIR` plus a `node_modules` symlink),
 * interleaved with this tree's runs, so a change is measured before and after in the same run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo, repoRoot } from './lib.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, 'baseline-root': { type: 'string' }, only: { type: 'string' } }, allowPositionals: false });
const quick = values.quick === true;
const only = values.only?.split(',');

/** Sizes for `--quick`: small, repeated, and never waiting long for the machine to go quiet. */
const QuickArgs: Record<string, string[]> = {
  submit: ['--clients', '16,64', '--single-account-clients', '', '--duration', '4', '--warmup', '1', '--pgbench-duration', '4', '--quiet-wait', '3', '--retries', '0'],
  // Rounds of 1,000: at 150 jobs most of a round ran before either system was warm (Pictor's
  // first round is its slowest), and graphile-worker's took 0.15 s, too short to time well.
  jobs: ['--jobs', '1000', '--rounds', '3'],
  // The level (10,000 subscribers, 50 accounts): about 90 s of the budget with the raw ws baseline.
  realtime: ['--subscribers', '10000', '--accounts', '50', '--events', '100', '--warmup-events', '20', '--bursts', '5', '--idle', '2', '--backlog', '0', '--quiet-wait', '3', '--retries', '0'],
};

/** Runs one benchmark script, its output on our stderr; resolves with its result file's JSON. */
function runScript(name: string, env: Record<string, string> = {}): Promise<Record<string, any>> {
  const args = ['--import', 'tsx', path.join('bench', `${name}.ts`), ...(quick ? QuickArgs[name]! : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let written: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      written = /^Wrote (\S+\.json)/m.exec(chunk.toString('utf8'))?.[1] ?? written;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0 || !written) return reject(new Error(`bench/${name}.ts exited with ${code}${written ? '' : ' without writing a result'}`));
      fs.readFile(path.resolve(repoRoot, written), 'utf8').then((text) => resolve(JSON.parse(text)), reject);
    });
  });
}

const round = (value: unknown, decimals = 2) => (typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 10 ** decimals) / 10 ** decimals : null);

function submitFigures(result: Record<string, any>) {
  return {
    pgbenchTps: round(result.pgbench.meanTps, 0),
    runs: result.runs.map((run: any) => ({
      clients: run.clients,
      accounts: run.accounts,
      perSecond: round(run.submissionsPerSecond, 0),
      p99Ms: round(run.latencyMs.p99),
      errors: run.errors,
      ratioToPgbench: round(run.ratioToPgbench, 4),
      // CPU per submission says more than throughput when other work shares the cores.
      writeTransactionsPerSubmission: round(run.perSubmission?.writeTransactions),
      walBytesPerSubmission: round(run.perSubmission?.walBytes, 0),
      cpuMsPerSubmission: { server: round((run.cpuPercent.server * 10) / run.submissionsPerSecond), postgres: round((run.cpuPercent.postgres * 10) / run.submissionsPerSecond) },
      cpuPercent: Object.fromEntries(Object.entries(run.cpuPercent as Record<string, number>).map(([party, percent]) => [party, round(percent, 0)])),
      // The scheduler taking the CPU from the server's main thread (involuntary), against its own waits.
      serverMainThreadSwitchesPerSecond: run.serverMainThreadSwitchesPerSecond && {
        voluntary: round(run.serverMainThreadSwitchesPerSecond.voluntary, 0),
        involuntary: round(run.serverMainThreadSwitchesPerSecond.involuntary, 0),
      },
      // Share of the window the main thread ran, and waited runnable for a CPU.
      serverMainThreadShare: run.serverMainThreadShare && { running: round(run.serverMainThreadShare.running, 3), waiting: round(run.serverMainThreadShare.waiting, 3) },
      ratioToAddJob: round(run.ratioToAddJob, 4),
    })),
    bestRatioToPgbench: round(result.best.ratioToPgbench, 4),
    // graphile-worker's addJob at the same client counts (its caller's CPU is the bench process's).
    addJob: (result.addJob ?? []).map((run: any) => ({
      clients: run.clients,
      perSecond: round(run.jobsPerSecond, 0),
      p99Ms: round(run.latencyMs.p99),
      errors: run.errors,
      ratioToPgbench: round(run.ratioToPgbench, 4),
      writeTransactionsPerJob: round(run.perJob.writeTransactions),
      walBytesPerJob: round(run.perJob.walBytes, 0),
      cpuMsPerJob: { caller: round(run.cpuMsPerJob.bench), postgres: round(run.cpuMsPerJob.postgres) },
      cpuPercent: Object.fromEntries(Object.entries(run.cpuPercent as Record<string, number>).map(([party, percent]) => [party, round(percent, 0)])),
    })),
    ratioToAddJobAtTopClients: result.versusAddJob ? { clients: result.versusAddJob.clients, ratio: round(result.versusAddJob.ratio, 4) } : null,
    // Windows in which other processes took more than 15% of a core: their rates and ratios are not this software's alone.
    disturbedWindows: result.disturbed ?? [],
  };
}

function jobsFigures(result: Record<string, any>) {
  return {
    pictorJobsPerSecond: round(result.median.pictorJobsPerSecond, 1),
    graphileWorkerJobsPerSecond: round(result.median.graphileWorkerJobsPerSecond, 1),
    ratioToGraphileWorker: round(result.median.ratio, 4),
    cpuMsPerJob: JSON.parse(JSON.stringify(result.cpuMsPerJob, (_key, value: unknown) => (typeof value === 'number' ? round(value) : value))),
    perJob: JSON.parse(JSON.stringify(result.perJob ?? null, (_key, value: unknown) => (typeof value === 'number' ? round(value) : value))),
    kind: result.options?.kind ?? 'placeholder',
  };
}

function realtimeFigures(result: Record<string, any>) {
  const top = (levels: any[] | undefined) => levels?.[levels.length - 1];
  const pictor = top(result.pictor.levels);
  const raw = top(result.raw?.levels);
  const ratio = (ours: number | undefined, theirs: number | undefined) => (ours !== undefined && theirs ? round(ours / theirs, 2) : null);
  return {
    subscribers: pictor?.subscribers,
    pictor: {
      rssPerSubscriptionKb: round(pictor?.rssPerConnectionKb, 1),
      pacedP99Ms: round(pictor?.paced?.stats.latencyMs.p99),
      burstP99Ms: round(pictor?.burst?.stats.latencyMs.p99),
      burstServerCpuUsPerDelivery: round(pictor?.burst?.serverCpuUsPerDelivery, 1),
      missing: (pictor?.paced?.stats.missing ?? 0) + (pictor?.burst?.stats.missing ?? 0),
    },
    rawWs: { rssPerConnectionKb: round(raw?.rssPerConnectionKb, 1), pacedP99Ms: round(raw?.paced?.stats.latencyMs.p99), burstP99Ms: round(raw?.burst?.stats.latencyMs.p99) },
    ratios: {
      rss: ratio(pictor?.rssPerConnectionKb, raw?.rssPerConnectionKb),
      pacedP99: ratio(pictor?.paced?.stats.latencyMs.p99, raw?.paced?.stats.latencyMs.p99),
      burstP99: ratio(pictor?.burst?.stats.latencyMs.p99, raw?.burst?.stats.latencyMs.p99),
    },
  };
}

const startedAt = performance.now();
const line: Record<string, unknown> = { date: new Date().toISOString(), quick, machine: machineInfo() };
const wanted = (name: string) => !only || only.includes(name);
const baseline = values['baseline-root'] ? { BENCH_SERVER_ROOT: path.resolve(values['baseline-root']) } : undefined;
try {
  if (wanted('submit')) {
    line.submit = submitFigures(await runScript('submit'));
    if (baseline) line.submitBaselineTree = submitFigures(await runScript('submit', baseline));
  }
  if (wanted('jobs')) {
    if (baseline) line.jobsBaselineTree = jobsFigures(await runScript('jobs', baseline));
    line.jobs = jobsFigures(await runScript('jobs'));
  }
  if (wanted('realtime')) line.realtime = realtimeFigures(await runScript('realtime'));
} catch (error) {
  line.error = error instanceof Error ? error.message : String(error);
  process.exitCode = 1;
}
line.loadAverageAtEnd = machineInfo().loadAverage;
line.totalSeconds = round((performance.now() - startedAt) / 1000, 0);
process.stdout.write(`${JSON.stringify(line)}\n`);
