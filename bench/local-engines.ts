/**
 * Local engines (ISNet background removal, vtracer vectorization): latency per megapixel, images
 * per minute at a given concurrency, peak memory of the engine processes, and the API server's
 * event-loop delay while they work.
 *
 *   npx tsx bench/local-engines.ts [--sizes 0.25,1,2] [--repeats 2] [--concurrency 1,2] ...
 *   npx tsx bench/local-engines.ts --help
 *
 * 1. Engines: each (engine, picture size) runs `repeats` times after one warm-up run through a
 *    LocalEnginePool in this process; peak memory is the engine process's VmHWM for that run
 *    (reset through /proc/<pid>/clear_refs before it).
 * 2. Throughput: `throughput-images` 1 MP pictures submitted at once to a pool of each
 *    `concurrency`, after warming every engine process.
 * 3. Server: Pictor (`src/main.ts`, ROLE=all) as a child process with monitorEventLoopDelay
 *    preloaded (bench/server-probe.ts). A client sends a GraphQL query every 20 ms, first with
 *    nothing else to do (baseline), then while background-removal and vectorization jobs run;
 *    the server's event-loop delay and the query latency are compared between the two windows.
 *    The other baseline: the same vtracer run on the event loop itself (what the pool avoids).
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { localVectorize } from '../src/catalog/models/utility.js';
import { isnetMemoryMb } from '../src/providers/local/background-removal-provider.js';
import { LocalEnginePool } from '../src/providers/local/engine-pool.js';
import type { EngineTask, IsnetModelSize } from '../src/providers/local/engine-protocol.js';
import { vtracerMemoryMb, vtracerSettings } from '../src/providers/local/vectorize-provider.js';
import { startPictor, type ChildServer } from './children.js';
import {
  createAccounts,
  formatNumber,
  machineInfo,
  numberList,
  parseOptions,
  positiveNumber,
  printTable,
  runBenchmark,
  sleep,
  startDatabase,
  summarize,
  writeResult,
  type Cleanup,
  type Summary,
} from './lib.js';
import type { ProbeStats } from './loop-probe.js';
import { logo, MB, photo, sideFor } from './pictures.js';

const options = parseOptions(
  {
    sizes: { default: '0.25,1,2', description: 'picture sizes in megapixels (square)' },
    repeats: { default: '2', description: 'measured runs per engine and size (after one warm-up run)' },
    models: { default: 'small,medium', description: 'ISNet model sizes to measure' },
    concurrency: { default: process.env.LOCAL_ENGINE_CONCURRENCY ?? '1', description: 'LOCAL_ENGINE_CONCURRENCY values for the throughput and server runs' },
    'throughput-images': { default: '6', description: 'pictures per throughput run' },
    'server-jobs': { default: '3', description: 'background-removal jobs (1 MP) during the server window, plus as many vectorizations' },
    'baseline-seconds': { default: '8', description: 'length of the idle server window' },
  },
  'Usage: npx tsx bench/local-engines.ts [options]',
);
const sizes = numberList(options.sizes, 'sizes').filter((size) => size > 0);
const repeats = Math.max(1, Math.floor(positiveNumber(options.repeats, 'repeats')));
const isnetModels = options.models
  .split(',')
  .map((model) => model.trim())
  .filter((model): model is IsnetModelSize => model === 'small' || model === 'medium');
const concurrencies = numberList(options.concurrency, 'concurrency')
  .map(Math.floor)
  .filter((count) => count > 0);
const throughputImages = Math.max(1, Math.floor(positiveNumber(options['throughput-images'], 'throughput-images')));
const serverJobs = Math.floor(positiveNumber(options['server-jobs'], 'server-jobs'));
const baselineMs = positiveNumber(options['baseline-seconds'], 'baseline-seconds') * 1000;

// ---------------------------------------------------------------------------------------------
// Engine runs

const vectorizeDefaults = vtracerSettings(localVectorize.params.parse({}));

interface EngineCase {
  label: string;
  picture: (side: number) => Promise<Buffer>;
  task: (image: Buffer) => EngineTask;
  estimateMb: (pixels: number) => number;
}

function engineCases(threads: number): EngineCase[] {
  return [
    ...isnetModels.map((model): EngineCase => ({
      label: `isnet ${model}`,
      picture: photo,
      task: (image) => ({ kind: 'remove-background', image, model, outputFormat: 'png', threads }),
      estimateMb: isnetMemoryMb,
    })),
    { label: 'vtracer logo', picture: logo, task: (image) => ({ kind: 'vectorize', image, settings: vectorizeDefaults }), estimateMb: vtracerMemoryMb },
    { label: 'vtracer photo', picture: photo, task: (image) => ({ kind: 'vectorize', image, settings: vectorizeDefaults }), estimateMb: vtracerMemoryMb },
  ];
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Resets VmHWM of an idle engine process so the next run's peak is its own. */
async function resetPeak(pid: number): Promise<void> {
  await fs.writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
}

async function runOnce(pool: LocalEnginePool, task: EngineTask, estimatedMb: number): Promise<{ ms: number; peakMb: number; pid: number }> {
  for (const pid of pool.stats.idlePids) await resetPeak(pid);
  let pid = -1;
  const started = performance.now();
  await pool.run(task, {
    signal: new AbortController().signal,
    estimatedMb,
    onProgress: () => {
      pid = pool.stats.busyPids[0] ?? pid;
    },
  });
  return { ms: performance.now() - started, peakMb: await peakRssMb(pid), pid };
}

interface EngineRow {
  engine: string;
  megapixels: number;
  coldMs: number;
  latencyMs: Summary;
  msPerMegapixel: number;
  peakRssMb: number;
  estimateMb: number;
}

async function measureEngines(): Promise<EngineRow[]> {
  const rows: EngineRow[] = [];
  for (const label of engineCases(1).map((engineCase) => engineCase.label)) {
    // A pool per engine: a process that ran ISNet keeps its session, which would count as
    // vtracer's memory.
    const pool = new LocalEnginePool({ concurrency: 1, memoryMb: 1_000_000, idleMs: 600_000 });
    try {
      const engineCase = engineCases(pool.threadsPerTask).find((candidate) => candidate.label === label)!;
      for (const megapixels of sizes) {
        const side = sideFor(megapixels);
        const task = engineCase.task(await engineCase.picture(side));
        const estimate = engineCase.estimateMb(side * side);
        // The first run of a case may start a process and load a model: reported apart.
        const cold = await runOnce(pool, task, estimate);
        const runs = [];
        for (let run = 0; run < repeats; run++) runs.push(await runOnce(pool, task, estimate));
        const latency = summarize(runs.map((run) => run.ms));
        const realMegapixels = (side * side) / MB;
        rows.push({
          engine: label,
          megapixels: realMegapixels,
          coldMs: cold.ms,
          latencyMs: latency,
          msPerMegapixel: latency.p50 / realMegapixels,
          peakRssMb: Math.max(...runs.map((run) => run.peakMb)),
          estimateMb: estimate,
        });
        console.log(`${label} ${formatNumber(realMegapixels, 2)} MP: p50 ${formatNumber(latency.p50, 0)} ms (cold ${formatNumber(cold.ms, 0)} ms), peak ${formatNumber(rows.at(-1)!.peakRssMb, 0)} MB`);
      }
    } finally {
      await pool.close();
    }
  }
  return rows;
}

interface ThroughputRow {
  engine: string;
  concurrency: number;
  images: number;
  seconds: number;
  imagesPerMinute: number;
  peakRssMbTotal: number;
}

async function measureThroughput(): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const side = sideFor(1);
  for (const concurrency of concurrencies) {
    for (const label of engineCases(1)
      .map((engineCase) => engineCase.label)
      .filter((label) => label !== 'vtracer photo')) {
      const pool = new LocalEnginePool({ concurrency, memoryMb: 1_000_000, idleMs: 600_000 });
      try {
        const engineCase = engineCases(pool.threadsPerTask).find((candidate) => candidate.label === label)!;
        const task = engineCase.task(await engineCase.picture(side));
        const run = () => pool.run(task, { signal: new AbortController().signal, estimatedMb: engineCase.estimateMb(side * side), onProgress: () => undefined });
        // Warm every process (start-up and model load are not throughput).
        await Promise.all(Array.from({ length: concurrency }, run));
        for (const pid of pool.stats.idlePids) await resetPeak(pid);
        const started = performance.now();
        await Promise.all(Array.from({ length: throughputImages }, run));
        const seconds = (performance.now() - started) / 1000;
        const peaks = await Promise.all(pool.stats.idlePids.map(peakRssMb));
        rows.push({ engine: label, concurrency, images: throughputImages, seconds, imagesPerMinute: (throughputImages / seconds) * 60, peakRssMbTotal: peaks.reduce((sum, peak) => sum + peak, 0) });
        console.log(`${label} x${concurrency}: ${formatNumber(rows.at(-1)!.imagesPerMinute, 1)} images/min`);
      } finally {
        await pool.close();
      }
    }
  }
  return rows;
}

/** vtracer on this event loop: how long one 1 MP photo would block an API process without the pool. */
async function inlineBaseline(): Promise<{ blockedMs: number }> {
  const side = sideFor(1);
  const { data, info } = await sharp(await photo(side))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const vectorizer = createRequire(import.meta.url)('@neplex/vectorizer') as typeof import('@neplex/vectorizer');
  const started = performance.now();
  vectorizer.vectorizeRawSync(data, { width: info.width, height: info.height }, vectorizeDefaults);
  return { blockedMs: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Server window

interface ServerWindow {
  label: string;
  seconds: number;
  queries: number;
  queryLatencyMs: Summary;
  serverLoop: ProbeStats;
  serverRssMb: number;
}

const QUERY = JSON.stringify({ query: '{ viewer { balance } models(filter: { search: "vectorize" }) { id available } }' });

async function graphql(server: ChildServer, key: string, body: string): Promise<any> {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
  return response.json();
}

/** Sends QUERY every 20 ms until `done()` says stop; returns the latencies. */
async function queryLoop(server: ChildServer, key: string, done: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!done()) {
    const started = performance.now();
    await graphql(server, key, QUERY);
    latencies.push(performance.now() - started);
    await sleep(20);
  }
  return latencies;
}

async function measureServer(concurrency: number, cleanup: Cleanup): Promise<{ windows: ServerWindow[]; jobSeconds: Summary; enginePeakRssMb: number }> {
  const database = await startDatabase(cleanup);
  const server = await startPictor(
    { databaseUrl: database.url, role: 'all', env: { LOCAL_ENGINE_CONCURRENCY: String(concurrency), MAX_REQUEST_BYTES: String(32 * MB), RATE_LIMIT_PER_MINUTE: '0', PROGRESS_INTERVAL_MS: '250' } },
    cleanup,
  );
  const [account] = await createAccounts(database.database, 1, 'local-engines');
  const key = account!.key;
  const windows: ServerWindow[] = [];
  const measure = async (label: string, work: () => Promise<void>) => {
    await server.probeStats();
    let finished = false;
    const started = performance.now();
    const [latencies] = await Promise.all([queryLoop(server, key, () => finished), work().finally(() => (finished = true))]);
    windows.push({
      label,
      seconds: (performance.now() - started) / 1000,
      queries: latencies.length,
      queryLatencyMs: summarize(latencies),
      serverLoop: await server.probeStats(),
      serverRssMb: (await server.rssKb()) / 1024,
    });
  };

  await measure('idle (baseline)', () => sleep(baselineMs));

  const side = sideFor(1);
  const photoUrl = `data:image/jpeg;base64,${(await photo(side)).toString('base64')}`;
  const logoUrl = `data:image/png;base64,${(await logo(side)).toString('base64')}`;
  const submit = async (model: string, dataUrl: string, params: Record<string, unknown>) => {
    const input = { model, params, references: [{ dataUrl }] };
    const body = await graphql(
      server,
      key,
      JSON.stringify({
        query: 'mutation($input: GenerateImageWithParamsInput!) { generateImageWithParams(input: $input) { __typename ... on GenerateImageSuccess { job { id } } ... on Error { message } } }',
        variables: { input },
      }),
    );
    const result = body.data?.generateImageWithParams;
    if (result?.__typename !== 'GenerateImageSuccess') throw new Error(`submit failed: ${JSON.stringify(body)}`);
    return result.job.id as string;
  };
  const jobSeconds: number[] = [];
  let enginePeakRssMb = 0;
  await measure(`${serverJobs} background removals + ${serverJobs} vectorizations (1 MP)`, async () => {
    const submittedAt = performance.now();
    const ids = [
      ...(await Promise.all(Array.from({ length: serverJobs }, () => submit('local-background-removal', photoUrl, { engineModel: 'medium' })))),
      ...(await Promise.all(Array.from({ length: serverJobs }, () => submit('local-vectorize', logoUrl, {})))),
    ];
    const pending = new Set(ids);
    while (pending.size > 0) {
      await sleep(250);
      enginePeakRssMb = Math.max(enginePeakRssMb, await childrenPeakRssMb(server.pid));
      for (const id of [...pending]) {
        const body = await graphql(server, key, JSON.stringify({ query: 'query($id: ID!) { job(id: $id) { status error { message } } }', variables: { id } }));
        const status = body.data?.job?.status;
        if (status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELED') {
          if (status !== 'SUCCEEDED') throw new Error(`job ${id} ${status}: ${JSON.stringify(body.data.job.error)}`);
          pending.delete(id);
          jobSeconds.push((performance.now() - submittedAt) / 1000);
        }
      }
    }
  });
  await server.stop();
  return { windows, jobSeconds: summarize(jobSeconds), enginePeakRssMb };
}

/** Highest VmHWM among the server's child processes (its engine processes). */
async function childrenPeakRssMb(parentPid: number): Promise<number> {
  const children = (await fs.readFile(`/proc/${parentPid}/task/${parentPid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
  const peaks = await Promise.all(children.map((pid) => peakRssMb(Number(pid))));
  return Math.max(0, ...peaks.filter(Number.isFinite));
}

// ---------------------------------------------------------------------------------------------

await runBenchmark(async (cleanup) => {
  const machine = machineInfo();
  console.log(`machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}, load ${machine.loadAverage.map((load) => load.toFixed(2)).join(' ')}`);

  const engines = await measureEngines();
  printTable(
    'Engines (one at a time; latency from submit to output, through the pool)',
    ['engine', 'MP', 'cold ms', 'p50 ms', 'max ms', 'ms / MP', 'peak RSS MB', 'estimate MB'],
    engines.map((row) => [
      row.engine,
      formatNumber(row.megapixels, 2),
      formatNumber(row.coldMs, 0),
      formatNumber(row.latencyMs.p50, 0),
      formatNumber(row.latencyMs.max, 0),
      formatNumber(row.msPerMegapixel, 0),
      formatNumber(row.peakRssMb, 0),
      formatNumber(row.estimateMb, 0),
    ]),
  );

  const throughput = await measureThroughput();
  printTable(
    `Throughput (${throughputImages} pictures of 1 MP submitted at once, warm processes)`,
    ['engine', 'concurrency', 'seconds', 'images / min', 'peak RSS MB (all processes)'],
    throughput.map((row) => [row.engine, String(row.concurrency), formatNumber(row.seconds, 1), formatNumber(row.imagesPerMinute, 1), formatNumber(row.peakRssMbTotal, 0)]),
  );

  const inline = await inlineBaseline();
  console.log(`\nBaseline: vtracer on the event loop blocks it for ${formatNumber(inline.blockedMs, 0)} ms per 1 MP photo.`);

  const servers = [];
  for (const concurrency of concurrencies) {
    const measured = await measureServer(concurrency, cleanup);
    servers.push({ concurrency, ...measured });
    printTable(
      `Server (ROLE=all, LOCAL_ENGINE_CONCURRENCY=${concurrency}): a GraphQL query every 20 ms; jobs done in p50 ${formatNumber(measured.jobSeconds.p50, 1)} s, max ${formatNumber(measured.jobSeconds.max, 1)} s; engine peak RSS ${formatNumber(measured.enginePeakRssMb, 0)} MB`,
      ['window', 's', 'queries', 'query p50 ms', 'query p99 ms', 'query max ms', 'loop delay p50 ms', 'p99 ms', 'max ms', 'server RSS MB'],
      measured.windows.map((window) => [
        window.label,
        formatNumber(window.seconds, 1),
        String(window.queries),
        formatNumber(window.queryLatencyMs.p50, 1),
        formatNumber(window.queryLatencyMs.p99, 1),
        formatNumber(window.queryLatencyMs.max, 1),
        formatNumber(window.serverLoop.eventLoopDelayMs.p50, 1),
        formatNumber(window.serverLoop.eventLoopDelayMs.p99, 1),
        formatNumber(window.serverLoop.eventLoopDelayMs.max, 1),
        formatNumber(window.serverRssMb, 0),
      ]),
    );
  }

  const file = await writeResult('local-engines', { machine, options, engines, throughput, inline, servers, at: new Date().toISOString() });
  console.log(`\nresults: ${file}`);
});
