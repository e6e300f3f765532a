/**
 * The processes a benchmark measures: Pictor (`src/main.ts`) or the raw ws baseline, each as a
 * child process of its own (so its CPU and memory are its own) with bench/server-probe.ts
 * preloaded behind an IPC channel, and stopped through the benchmark's cleanup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, sleep, type Cleanup } from './lib.js';
import type { ProbeStats } from './loop-probe.js';
import { processTreeCpuSeconds, rssKb } from './proc.js';
import type { ProbeRequest } from './server-probe.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** VmRSS of the child from /proc, in KB. */
  rssKb(): Promise<number>;
  /** User + system CPU seconds the child and its descendants (API processes under a supervisor) have used so far. */
  cpuSeconds(): Promise<number>;
  /** Full GC in the child (see server-probe.ts), then its `process.memoryUsage()`. */
  collectGarbage(): Promise<NodeJS.MemoryUsage>;
  /** Event-loop delay and GC pauses in the child since the previous call. */
  probeStats(): Promise<ProbeStats>;
  /** Starts the child's CPU profiler; `stopProfile` writes what it sampled since to `file`. */
  startProfile(): Promise<void>;
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** Script path relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** Path polled until it answers 200; or, for processes that serve no HTTP (ROLE=worker), a text their output must contain. */
  readyPath: string | { outputContains: string };
  /** Extra node flags (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /** Prefix of the child's stderr lines echoed to ours. */
  label: string;
  /** Checkout the script runs from (default this one); the probe always comes from this one. */
  root?: string;
}

/** The node flags of the tree's `npm start` (`node <flags> --import tsx src/main.ts`), so a bench runs the server as it is run. */
async function startScriptNodeFlags(root: string): Promise<string[]> {
  const manifest = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const words = manifest.scripts?.start?.split(/\s+/) ?? [];
  return words[0] === 'node' ? words.slice(1).filter((word) => /^--max-[a-z-]+-size=\d+$/.test(word)) : [];
}

/**
 * Starts a TypeScript entry point as a separate node process (so its CPU and memory are its own)
 * with `--expose-gc` and bench/server-probe.ts preloaded behind an IPC channel, and waits until
 * `readyPath` answers 200.
 */
export async function startChild(options: ChildOptions, cleanup: Cleanup): Promise<ChildServer> {
  const port = await freePort();
  const extraFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? (await startScriptNodeFlags(options.root ?? repoRoot));
  const args = [...(options.nodeFlags ?? []), ...extraFlags, '--expose-gc', '--import', 'tsx', '--import', pathToFileURL(path.join(repoRoot, 'bench', 'server-probe.ts')).href, options.script];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: options.root ?? repoRoot,
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const probe = probeClient(child);
  let output = '';
  const remember = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    remember(chunk);
    // BENCH_SERVER_STDOUT=1 echoes the child's stdout, e.g. with BENCH_SERVER_NODE_FLAGS=--trace-gc.
    if (process.env.BENCH_SERVER_STDOUT === '1') process.stdout.write(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    remember(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) console.error(`[${options.label}] ${line}`);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exit.then(() => false), sleep(20_000).then(() => true)]);
    if (timedOut) {
      console.error(`[${options.label}] did not stop within 20 s; killing it`);
      child.kill('SIGKILL');
      await exit;
    }
  };
  cleanup.add(`stop ${options.label}`, stop);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${options.label} exited during start-up:\n${output}`);
    const { readyPath } = options;
    const ready =
      typeof readyPath === 'string'
        ? await fetch(`${url}${readyPath}`).then(
            (response) => response.status === 200,
            () => false,
          )
        : output.includes(readyPath.outputContains);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`${options.label} not ready after 60 s:\n${output}`);
    await sleep(100);
  }
  const pid = child.pid!;
  return {
    pid,
    port,
    url,
    rssKb: () => rssKb(pid),
    cpuSeconds: () => processTreeCpuSeconds(pid),
    async collectGarbage() {
      // Twice, a moment apart: the first full GC can leave work (weak callbacks, finalizers) behind.
      await probe({ type: 'gc' });
      await sleep(300);
      return ((await probe({ type: 'gc' })) as { memory: NodeJS.MemoryUsage }).memory;
    },
    probeStats: async () => ((await probe({ type: 'stats' })) as { stats: ProbeStats }).stats,
    startProfile: async () => void (await probe({ type: 'profile-start' })),
    async stopProfile(file) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await probe({ type: 'profile-stop', file });
    },
    stop,
  };
}

/** Request/response over the child's IPC channel to bench/server-probe.ts. */
function probeClient(child: ChildProcess): (request: ProbeRequest) => Promise<unknown> {
  let nextId = 0;
  const waiting = new Map<number, (reply: { error?: string }) => void>();
  child.on('message', (reply: { id: number; error?: string }) => waiting.get(reply.id)?.(reply));
  child.channel?.unref();
  return (request) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`server probe: no answer to ${request.type} within 30 s`));
      }, 30_000);
      waiting.set(id, (reply) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (reply.error) reject(new Error(`server probe: ${request.type}: ${reply.error}`));
        else resolve(reply);
      });
      child.send({ ...request, id });
    });
}

/**
 * Pictor itself (`src/main.ts`) against `databaseUrl`, with its own temporary DATA_DIR; from the
 * checkout in BENCH_SERVER_ROOT when set (a before/after comparison, see bench/run.ts).
 */
/**
 * The server runs as deployed (the Dockerfile's NODE_ENV=production, which also switches graphql-js
 * from its development-mode type checks to plain `instanceof`), with a fresh secrets key as
 * production requires. Runs that need ALLOW_PRIVATE_URLS (a local stand-in upstream), which
 * production refuses, stay in development mode.
 */
function deployment(env: Record<string, string> | undefined): Record<string, string> {
  if (env?.ALLOW_PRIVATE_URLS) return { NODE_ENV: 'development' };
  return { NODE_ENV: 'production', SECRETS_KEY: crypto.randomBytes(32).toString('base64') };
}

export async function startPictor(options: { databaseUrl: string; role: 'all' | 'api' | 'worker'; env?: Record<string, string>; nodeFlags?: string[] }, cleanup: Cleanup): Promise<ChildServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-bench-data-'));
  cleanup.add('remove the server data directory', () => fs.rm(dataDir, { recursive: true, force: true }));
  return startChild(
    {
      script: 'src/main.ts',
      env: { DATABASE_URL: options.databaseUrl, DATA_DIR: dataDir, ROLE: options.role, LOG_LEVEL: options.role === 'worker' ? 'info' : 'warn', ...deployment(options.env), ...options.env },
      // Worker processes serve no HTTP: they say when they run (at LOG_LEVEL info).
      readyPath: options.role === 'worker' ? { outputContains: 'Pictor worker running' } : '/readyz',
      nodeFlags: options.nodeFlags,
      label: `pictor ${options.role}`,
      root: process.env.BENCH_SERVER_ROOT,
    },
    cleanup,
  );
}
