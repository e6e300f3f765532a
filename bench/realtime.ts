/**
 * Subscriptions at scale: server memory per idle subscription, commit-to-client latency of
 * `jobsUpdated`, and the event poller's query rate, at 0, 1,000 and 10,000 subscribers, next to a
 * bare `ws` server (bench/raw-ws-server.ts) holding the same number of connections.
 *
 *   npx tsx bench/realtime.ts [--subscribers 1000,10000] [--accounts 50] [--events 200] ...
 *   npx tsx bench/realtime.ts --help
 *
 * Pictor runs as a child process with ROLE=api (no workers). Events are written the way workers
 * write them (one short transaction appending to `job_events`) straight from this process, and
 * timed from the moment COMMIT returns to the moment each subscriber's socket hands us the message.
 */
import path from 'node:path';
import { CpuMeter, measureUndisturbed, quietOptionSpec, quietOptions, reportDisturbance } from './cpu.js';
import { startChild, startPictor } from './children.js';
import { createAccounts, flag, formatNumber, machineInfo, numberList, parseOptions, positiveNumber, printTable, profilePath, runBenchmark, sleep, startDatabase, writeResult } from './lib.js';
import { createLoopProbe } from './loop-probe.js';
import { measureBacklog, type BacklogRun } from './realtime-backlog.js';
import { summarizeProfile } from './profile.js';
import { createJobs, pictorTarget, rawTarget, type Target } from './realtime-targets.js';
import { closeAll, DeliveryTracker, openInBatches, type LoadClient } from './ws-clients.js';
import { describeLevel, latencyRow, type EventRun, type LevelResult } from './realtime-report.js';

const options = parseOptions(
  {
    subscribers: { default: '1000,10000', description: 'subscriber counts, measured in increasing order after N=0' },
    accounts: { default: '50', description: 'accounts the subscribers are spread over (round-robin)' },
    batch: { default: '200', description: 'connections opened at a time' },
    events: { default: '200', description: 'paced events per level, each to the subscribers of one account' },
    'warmup-events': { default: '40', description: 'paced events sent (and not measured) right before the measured ones' },
    'event-interval': { default: '25', description: 'milliseconds between paced events' },
    bursts: { default: '10', description: 'bursts per level: one transaction with one event per account = a message to every subscriber' },
    idle: { default: '10', description: 'idle seconds per level over which the poller query rate is sampled' },
    raw: { default: '1', description: 'run the raw ws baseline (0 to skip)' },
    backlog: { default: '100000', description: 'missed events a resubscribing client catches up on (0 to skip; a tenth of it is the baseline)' },
    'backlog-only': { default: '0', description: 'set to 1 to run only the backlog case' },
    profile: { default: '', description: 'set to 1 to CPU-profile the Pictor server during the paced and burst runs (bench/results/) and summarise it' },
    ...quietOptionSpec,
  },
  'Usage: npx tsx bench/realtime.ts [options]',
);
const levels = [
  ...new Set(
    numberList(options.subscribers, 'subscribers')
      .map(Math.floor)
      .filter((count) => count > 0),
  ),
].sort((left, right) => left - right);
const accountCount = Math.max(1, Math.floor(positiveNumber(options.accounts, 'accounts')));
const batchSize = Math.max(1, Math.floor(positiveNumber(options.batch, 'batch')));
const eventCount = Math.floor(positiveNumber(options.events, 'events'));
const warmUpEventCount = Math.floor(positiveNumber(options['warmup-events'], 'warmup-events'));
const eventIntervalMs = positiveNumber(options['event-interval'], 'event-interval');
const burstCount = Math.floor(positiveNumber(options.bursts, 'bursts'));
const idleMs = positiveNumber(options.idle, 'idle') * 1000;
const runRaw = flag(options.raw);
const profileWindows = flag(options.profile);
const quiet = quietOptions(options);

/** How long to wait for stragglers after the last event of a run before counting them missing. */
const DELIVERY_TIMEOUT_MS = 15_000;
const BURST_PAUSE_MS = 200;
/** Subscriptions opened and closed before the N=0 baseline, so lazily loaded code is in RSS already. */
const WARM_UP_CLIENTS = 20;
/** Paced events use a distinct job each (deliveries are matched by job id), so every account needs this many. */
const jobsPerAccount = Math.max(1, Math.ceil(Math.max(eventCount, warmUpEventCount) / accountCount));
const benchProbe = createLoopProbe();

/** Clients per group when `clients` are dealt round-robin over `accountCount` groups. */
function groupSizes(clients: number): number[] {
  return Array.from({ length: accountCount }, (_, group) => Math.floor(clients / accountCount) + (group < clients % accountCount ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Measurement, identical for both targets

async function waitForConnected(target: Target, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connected = await target.connected();
    if (connected === expected || Date.now() > deadline) return connected;
    await sleep(100);
  }
}

/** Publishes `count` events on a fixed schedule, each to one group, round-robin over the groups. */
async function publishPaced(target: Target, tracker: DeliveryTracker, sizes: number[], count: number): Promise<void> {
  const startedAt = performance.now();
  for (let index = 0; index < count; index++) {
    const wait = startedAt + index * eventIntervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const group = index % accountCount;
    await target.publishToGroup(group, Math.floor(index / accountCount), sizes[group]!, tracker);
  }
}

/**
 * Paced events after a short unmeasured warm-up: after the idle window and the forced GCs of the
 * memory reading, the first deliveries otherwise pay for V8 recompiling the (flushed) fan-out code.
 */
async function pacedRun(target: Target, tracker: DeliveryTracker, subscribers: number): Promise<EventRun> {
  const sizes = groupSizes(subscribers);
  await publishPaced(target, tracker, sizes, warmUpEventCount);
  await tracker.waitForAll(DELIVERY_TIMEOUT_MS);
  tracker.collect();

  const cpu = new CpuMeter(target.server, target.postmasterPid);
  const queriesBefore = await target.pollerQueries?.();
  const profileFile = target.profiled ? profilePath('realtime', `paced-${subscribers}`) : undefined;
  if (profileFile) await target.server.startProfile();
  await target.server.probeStats();
  benchProbe.stats();
  await cpu.begin();
  const serverCpuBefore = await target.server.cpuSeconds();
  const startedAt = performance.now();
  await publishPaced(target, tracker, sizes, eventCount);
  const publishSeconds = (performance.now() - startedAt) / 1000;
  const queriesAfter = await target.pollerQueries?.();
  await tracker.waitForAll(DELIVERY_TIMEOUT_MS);
  const serverCpuSeconds = (await target.server.cpuSeconds()) - serverCpuBefore;
  const cpuPercent = await cpu.end();
  const benchLoop = benchProbe.stats();
  const serverLoop = await target.server.probeStats();
  if (profileFile) await target.server.stopProfile(profileFile);
  const pollerQps = queriesBefore !== undefined && queriesAfter !== undefined ? (queriesAfter - queriesBefore) / publishSeconds : undefined;
  const profile = profileFile ? await summarizeProfile(profileFile, 25) : undefined;
  return withCpuPerDelivery({ stats: tracker.collect(), cpuPercent, pollerQps, serverLoop, benchLoop, profile }, serverCpuSeconds);
}

/** Server CPU per delivered message: a figure that does not depend on the CPU share the server got. */
function withCpuPerDelivery(run: EventRun, serverCpuSeconds: number): EventRun {
  return { ...run, serverCpuUsPerDelivery: run.stats.deliveries > 0 ? (serverCpuSeconds * 1e6) / run.stats.deliveries : undefined };
}

/** Bursts of one event per group at once (every client gets a message), one burst at a time. */
async function burstRun(target: Target, tracker: DeliveryTracker, subscribers: number): Promise<EventRun> {
  const sizes = groupSizes(subscribers);
  const cpu = new CpuMeter(target.server, target.postmasterPid);
  const profileFile = target.profiled ? profilePath('realtime', `bursts-${subscribers}`) : undefined;
  if (profileFile) await target.server.startProfile();
  await target.server.probeStats();
  benchProbe.stats();
  await cpu.begin();
  const serverCpuBefore = await target.server.cpuSeconds();
  for (let burst = 0; burst < burstCount; burst++) {
    await target.publishToAll(burst, sizes, tracker);
    await tracker.waitForAll(DELIVERY_TIMEOUT_MS);
    await sleep(BURST_PAUSE_MS);
  }
  const serverCpuSeconds = (await target.server.cpuSeconds()) - serverCpuBefore;
  const cpuPercent = await cpu.end();
  const benchLoop = benchProbe.stats();
  const serverLoop = await target.server.probeStats();
  if (profileFile) await target.server.stopProfile(profileFile);
  const profile = profileFile ? await summarizeProfile(profileFile, 25) : undefined;
  return withCpuPerDelivery({ stats: tracker.collect(), cpuPercent, serverLoop, benchLoop, profile }, serverCpuSeconds);
}

/**
 * Warm-up, then for N = 0 and each level: open clients up to N, check the server sees them,
 * sample the idle poller rate and the settled RSS, run the paced events and the bursts.
 */
async function measure(target: Target, withIdleWindow: boolean, eventsAtZero: boolean): Promise<{ levels: LevelResult[]; connectedAfterClose: number }> {
  const tracker = new DeliveryTracker();
  // Only for telling whether other processes on the machine disturb a window (see lib.ts).
  const quietMeter = new CpuMeter(target.server, target.postmasterPid);
  const warmUp = await openInBatches(0, WARM_UP_CLIENTS, batchSize, (index) => target.open(index, tracker));
  await waitForConnected(target, WARM_UP_CLIENTS, 30_000);
  await target.publishToAll(0, groupSizes(WARM_UP_CLIENTS), tracker);
  await tracker.waitForAll(5_000);
  tracker.collect();
  await closeAll(warmUp);
  await waitForConnected(target, 0, 30_000);

  const clients: LoadClient[] = [];
  const results: LevelResult[] = [];
  let baselineRssKb = 0;
  let baselineHeapKb = 0;
  for (const subscribers of [0, ...levels]) {
    const openStartedAt = performance.now();
    clients.push(...(await openInBatches(clients.length, subscribers, batchSize, (index) => target.open(index, tracker))));
    const connected = await waitForConnected(target, subscribers, 60_000);
    const openSeconds = (performance.now() - openStartedAt) / 1000;
    if (connected !== subscribers) console.error(`${target.name}: server reports ${connected} of ${subscribers} clients`);

    let idlePollerQps: number | undefined;
    await sleep(1000);
    let memory = await target.server.collectGarbage();
    if (withIdleWindow && target.pollerQueries) {
      const before = await target.pollerQueries();
      const startedAt = performance.now();
      await sleep(idleMs);
      idlePollerQps = ((await target.pollerQueries()) - before) / ((performance.now() - startedAt) / 1000);
      memory = await target.server.collectGarbage();
    }
    const rssKb = await target.server.rssKb();
    const heapKb = (memory.heapUsed + memory.external) / 1024;
    if (subscribers === 0) {
      baselineRssKb = rssKb;
      baselineHeapKb = heapKb;
    }
    const previous = results.at(-1);
    const result: LevelResult = {
      subscribers,
      openSeconds,
      connected,
      rssKb,
      rssPerConnectionKb: subscribers > 0 ? (rssKb - baselineRssKb) / subscribers : undefined,
      rssSlopeKb: previous && previous.subscribers > 0 ? (rssKb - previous.rssKb) / (subscribers - previous.subscribers) : undefined,
      heapKb,
      heapPerConnectionKb: subscribers > 0 ? (heapKb - baselineHeapKb) / subscribers : undefined,
      idlePollerQps,
    };
    if (subscribers > 0 || eventsAtZero) {
      const undisturbed = async (kind: string, run: () => Promise<EventRun>) => {
        const { result: measured, attempts } = await measureUndisturbed(quietMeter, quiet, `${target.name} N=${subscribers} ${kind}`, run, (event) => event.cpuPercent);
        return { ...measured, attempts };
      };
      result.paced = await undisturbed('paced', () => pacedRun(target, tracker, subscribers));
      result.burst = await undisturbed('bursts', () => burstRun(target, tracker, subscribers));
    }
    results.push(result);
    console.log(describeLevel(target.name, result));
  }
  await closeAll(clients);
  return { levels: results, connectedAfterClose: await waitForConnected(target, 0, 30_000) };
}

await runBenchmark(async (cleanup) => {
  const startedAt = performance.now();
  console.log(`Starting PostgreSQL and the Pictor API server (ROLE=api, no workers)...`);
  const database = await startDatabase(cleanup);
  const keys = await createAccounts(database.database, accountCount, 'bench-realtime');
  // Every subscription counts against its key's per-minute budget: with ~N/accounts subscriptions
  // per key opened within seconds, the default would refuse most of them.
  const pictor = await startPictor({ databaseUrl: database.url, role: 'api', env: { RATE_LIMIT_PER_MINUTE: '1000000000' } }, cleanup);
  const jobs = await createJobs(pictor.url, keys, jobsPerAccount);
  const backlogEvents = Math.floor(Number(options.backlog) || 0);
  const backlogRuns: BacklogRun[] = [];
  if (backlogEvents > 0) {
    for (const count of [Math.max(1, Math.floor(backlogEvents / 10)), backlogEvents]) backlogRuns.push(await measureBacklog(pictor, database.database.sql, keys[0]!, jobs[0]![0]!, count));
    printTable(
      'Backlog: a client resubscribes with jobsUpdated(after:) and catches up on the events it missed (server RSS sampled every 50 ms)',
      ['missed events', 'delivered in order', 'seconds', 'events/s', 'RSS before (MB)', 'peak RSS (MB)'],
      backlogRuns.map((run) => [
        String(run.events),
        `${run.delivered}${run.inOrder ? '' : ' (OUT OF ORDER)'}`,
        formatNumber(run.seconds, 1),
        formatNumber(run.eventsPerSecond, 0),
        formatNumber(run.rssBeforeMb, 1),
        formatNumber(run.peakRssMb, 1),
      ]),
    );
    if (flag(options['backlog-only'])) {
      const file = await writeResult('realtime-backlog', { benchmark: 'realtime-backlog', date: new Date().toISOString(), machine: machineInfo(), backlog: backlogRuns });
      console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
      return;
    }
  }
  console.log(`${accountCount} accounts with ${jobsPerAccount} queued job(s) each; subscriber levels: 0, ${levels.join(', ')}`);

  const pictorResult = await measure(pictorTarget({ server: pictor, postmasterPid: database.postmasterPid, sql: database.database.sql, keys, jobs, profiled: profileWindows }), true, true);
  if (pictorResult.connectedAfterClose !== 0) console.error(`Pictor still reports ${pictorResult.connectedAfterClose} subscribers after every client closed`);
  await pictor.stop();

  let rawResult: Awaited<ReturnType<typeof measure>> | undefined;
  if (runRaw) {
    console.log('Raw ws baseline (bench/raw-ws-server.ts)...');
    const raw = await startChild({ script: 'bench/raw-ws-server.ts', env: {}, readyPath: '/readyz', label: 'raw ws' }, cleanup);
    rawResult = await measure(rawTarget(raw, accountCount), false, false);
    await raw.stop();
  }

  const all = [...pictorResult.levels.map((level) => ({ name: 'Pictor', level })), ...(rawResult?.levels ?? []).map((level) => ({ name: 'raw ws', level }))];
  printTable(
    'Server memory with idle connections (after a full GC; per connection = (value - value at N=0) / N)',
    ['server', 'N', 'open (s)', 'server sees', 'RSS (MB)', 'RSS/connection (KB)', 'RSS slope from previous N (KB)', 'V8 heap+external (MB)', 'heap+external/connection (KB)'],
    all.map(({ name, level }) => [
      name,
      String(level.subscribers),
      formatNumber(level.openSeconds, 1),
      String(level.connected),
      formatNumber(level.rssKb / 1024, 1),
      formatNumber(level.rssPerConnectionKb, 1),
      formatNumber(level.rssSlopeKb, 1),
      formatNumber(level.heapKb / 1024, 1),
      formatNumber(level.heapPerConnectionKb, 1),
    ]),
  );
  const latencyHeaders = [
    'server',
    'N',
    'events',
    'delivered',
    'p50 ms',
    'p99 ms',
    'max ms',
    'last-of-event p99 ms',
    'CPU % bench/server/pg/other',
    'loop delay p99/max ms server',
    'bench',
    'GC max ms server/bench',
    'server CPU µs/delivery',
  ];
  printTable(
    `Paced events: ${eventCount} events (after ${warmUpEventCount} unmeasured), one every ${eventIntervalMs} ms, each to the ~N/${accountCount} subscribers of one account (Pictor: from COMMIT returned; raw: from broadcast request)`,
    latencyHeaders,
    all.filter(({ level }) => level.subscribers > 0).map(({ name, level }) => latencyRow(name, level, level.paced)),
  );
  printTable(
    `Bursts: ${burstCount} x one event for every account in one transaction (raw: one broadcast), i.e. a message to all N`,
    latencyHeaders,
    all.filter(({ level }) => level.subscribers > 0).map(({ name, level }) => latencyRow(name, level, level.burst)),
  );
  printTable(
    `Pictor event poller: reads of the event log (pictor_realtime_poller_queries_total less pictor_realtime_poller_hydrations_total; idle window ${idleMs / 1000} s)`,
    ['N', 'reads/s idle', 'reads/s during paced events'],
    pictorResult.levels.map((level) => [String(level.subscribers), formatNumber(level.idlePollerQps, 1), formatNumber(level.paced?.pollerQps, 1)]),
  );

  const top = pictorResult.levels.at(-1)!;
  const zero = pictorResult.levels[0]!;
  const rssMet = top.rssPerConnectionKb !== undefined && top.rssPerConnectionKb <= 12;
  const latencyMet = top.paced !== undefined && top.paced.stats.missing === 0 && top.paced.stats.latencyMs.p99 <= 50;
  const pollerFlat = (atZero: number | undefined, atTop: number | undefined) => atZero !== undefined && atTop !== undefined && atTop <= atZero * 1.1 + 1;
  const pollerMet = pollerFlat(zero.idlePollerQps, top.idlePollerQps) && pollerFlat(zero.paced?.pollerQps, top.paced?.pollerQps);
  console.log(`\nTargets at N=${top.subscribers}:`);
  console.log(
    `  RSS per idle subscription <= 12 KB: ${formatNumber(top.rssPerConnectionKb, 1)} KB -> ${rssMet ? 'met' : 'NOT met'}` +
      ` (slope from the previous level ${formatNumber(top.rssSlopeKb, 1)} KB; V8 heap+external ${formatNumber(top.heapPerConnectionKb, 1)} KB)`,
  );
  console.log(`  paced commit-to-client p99 <= 50 ms: ${formatNumber(top.paced?.stats.latencyMs.p99, 1)} ms, ${top.paced?.stats.missing ?? '-'} missing -> ${latencyMet ? 'met' : 'NOT met'}`);
  console.log(
    `  poller read rate independent of N: idle ${formatNumber(zero.idlePollerQps, 1)} -> ${formatNumber(top.idlePollerQps, 1)} reads/s, during events ${formatNumber(zero.paced?.pollerQps, 1)} -> ${formatNumber(top.paced?.pollerQps, 1)} reads/s -> ${pollerMet ? 'met' : 'NOT met'}`,
  );
  console.log(`  subscribers registered after all clients closed: ${pictorResult.connectedAfterClose} (expect 0)`);
  const disturbed = reportDisturbance(
    all.flatMap(({ name, level }) => [
      ...(level.paced ? [{ label: `${name} N=${level.subscribers} paced`, cpu: level.paced.cpuPercent }] : []),
      ...(level.burst ? [{ label: `${name} N=${level.subscribers} bursts`, cpu: level.burst.cpuPercent }] : []),
    ]),
  );
  for (const run of [top.paced, top.burst]) {
    if (run?.profile) console.log(`\nPictor server CPU at N=${top.subscribers} (${path.relative(process.cwd(), run.profile.file)}):\n${run.profile.text}`);
  }

  const file = await writeResult('realtime', {
    benchmark: 'realtime',
    date: new Date().toISOString(),
    machine: machineInfo(),
    options: { levels, accountCount, batchSize, eventCount, warmUpEventCount, eventIntervalMs, burstCount, idleMs, runRaw, profileWindows, quiet },
    database: database.embedded ? 'embedded PostgreSQL (unix socket)' : 'DATABASE_URL',
    pictor: pictorResult,
    raw: rawResult,
    backlog: backlogRuns,
    targets: {
      rssPerSubscriptionKb: { value: top.rssPerConnectionKb, target: 12, met: rssMet },
      pacedP99Ms: { value: top.paced?.stats.latencyMs.p99, target: 50, met: latencyMet },
      pollerIndependentOfSubscribers: { met: pollerMet },
    },
    disturbed,
    totalSeconds: (performance.now() - startedAt) / 1000,
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file)} (total ${formatNumber((performance.now() - startedAt) / 1000, 0)} s)`);
});
