import cluster, { type Worker as ApiProcess } from 'node:cluster';
import type { Config } from './config.js';
import type { Log } from './log.js';

/**
 * `API_PROCESSES` above 1: several API processes on one port, through node:cluster.
 *
 * The first process is their supervisor. Before forking it opens the database (starting the
 * embedded server when there is no DATABASE_URL), applies the migrations, creates the
 * development key and the secrets file, and with ROLE=all it runs the workers itself. The API
 * processes are ordinary `ROLE=api` processes on the supervisor's database: every guarantee that
 * holds across machines (events through the database, rate limits, key revocation) holds
 * between them. The supervisor hands each new connection to the next API process in turn.
 *
 * If an API process exits before all of them have listened once (the port is taken, the
 * database refuses them), the start has failed: `ready` rejects and the supervisor stops, as a
 * single process does when it cannot start. Afterwards an API process that dies is replaced
 * (after 1 s, up to 30 s when it keeps dying at start-up).
 * SIGINT or SIGTERM to the supervisor stops the API processes first (each drains as a single
 * process does), then the supervisor's own work and the embedded database. API processes ignore
 * SIGINT, so a Ctrl-C in a terminal stops them once, through the supervisor; if the supervisor
 * is killed outright, node:cluster ends them as soon as their channel to it closes.
 */

/** Message an API process sends its supervisor once it listens. */
interface Listening {
  type: 'pictor:listening';
  url: string;
}

const isListening = (message: unknown): message is Listening => (message as Listening | null)?.type === 'pictor:listening';

export function isApiProcess(): boolean {
  return cluster.isWorker;
}

/** node:cluster's id of this API process, counting up from 1 as the supervisor forks; undefined without a supervisor. */
export function apiProcessId(): number | undefined {
  return cluster.worker?.id;
}

/** Called by an API process once its server listens. */
export function reportListening(url: string): void {
  process.send?.({ type: 'pictor:listening', url } satisfies Listening);
}

export interface Supervisor {
  /** Resolves with the API's URL once every API process has listened once; rejects if one exits before. */
  readonly ready: Promise<string>;
  /** PIDs of the API processes running now. */
  pids(): number[];
  /** Stops every API process (SIGTERM, then SIGKILL after the grace period). */
  stop(): Promise<void>;
}

const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** An API process that lived this long before dying restarts after the minimum delay again. */
const HEALTHY_LIFETIME_MS = 10_000;

export function superviseApiProcesses(config: Config, databaseUrl: string, log: Log): Supervisor {
  const environment: Record<string, string> = {
    ROLE: 'api',
    API_PROCESSES: '1',
    DATABASE_URL: databaseUrl,
    // The supervisor created the development key (when wanted); API processes read the saved one.
    CREATE_DEV_ACCOUNT: config.createDevAccount ? 'true' : 'false',
  };
  const running = new Map<number, ApiProcess>();
  const firstListen = new Set<number>();
  let stopping = false;
  let announced = false;
  let announce: (url: string) => void = () => undefined;
  let failStart: (error: Error) => void = () => undefined;
  const ready = new Promise<string>((resolve, reject) => {
    announce = (url) => {
      announced = true;
      resolve(url);
    };
    failStart = reject;
  });

  const start = (slot: number, restartDelayMs: number) => {
    const startedAt = Date.now();
    const child = cluster.fork(environment);
    running.set(slot, child);
    child.on('message', (message: unknown) => {
      if (!isListening(message) || firstListen.has(slot)) return;
      firstListen.add(slot);
      if (firstListen.size === config.apiProcesses) announce(message.url);
    });
    child.once('exit', (code, signal) => {
      if (running.get(slot) === child) running.delete(slot);
      if (stopping) return;
      if (!announced) return failStart(new Error(`API process ${child.process.pid} exited during start-up (${signal ?? `code ${code}`})`));
      const lived = Date.now() - startedAt;
      const delay = lived >= HEALTHY_LIFETIME_MS ? RESTART_MIN_MS : Math.min(RESTART_MAX_MS, restartDelayMs * 2);
      log('error', 'API process exited; starting another', { slot, pid: child.process.pid, code, signal, restartInMs: delay });
      setTimeout(() => {
        if (!stopping) start(slot, delay);
      }, delay).unref();
    });
  };
  for (let slot = 0; slot < config.apiProcesses; slot++) start(slot, RESTART_MIN_MS / 2);

  return {
    ready,
    pids: () => [...running.values()].flatMap((child) => (child.process.pid === undefined ? [] : [child.process.pid])),
    async stop() {
      stopping = true;
      await Promise.all(
        [...running.values()].map(async (child) => {
          if (child.isDead()) return;
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.process.kill('SIGTERM');
          const timer = setTimeout(() => child.process.kill('SIGKILL'), config.worker.shutdownGraceMs + 5_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
