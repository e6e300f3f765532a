import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../src/config.js';
import { waitFor } from './support/app.js';
import { createTestDatabase } from './support/database.js';

/**
 * `API_PROCESSES=2` as an operator runs it: `src/main.ts` on the embedded PostgreSQL (as `npm
 * start` runs it) supervises two API processes on one port and, with ROLE=all, runs the workers
 * itself. Each connection is served by one API process;
 * `/metrics` names the process that answered (`pictor_process_info`), which is how these tests
 * tell them apart.
 */

let supervisor: ChildProcess;
let output: () => string = () => '';
let baseUrl: string;
let key: string;
let dataDir: string;

/** Live processes (exited ones not yet reaped left out) for which `keep` holds, in pid order. */
async function findProcesses(keep: (pid: string, parentPid: number) => Promise<boolean>): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (stat && fields[0] !== 'Z' && (await keep(pid, Number(fields[1])))) found.push(Number(pid));
  }
  return found.sort((a, b) => a - b);
}

const readProc = (pid: string, file: string) => fs.readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => '');

/** Live API processes (`src/main.ts`) whose parent is `pid` (not, say, the esbuild service tsx may start). */
const childrenOf = (pid: number) => findProcesses(async (child, parentPid) => parentPid === pid && (await readProc(child, 'cmdline')).includes('src/main.ts'));

/** Live processes started with `entry` (`NAME=value`) in their environment. */
const processesWithEnvironment = (entry: string) => findProcesses(async (pid) => (await readProc(pid, 'environ')).split('\0').includes(entry));

const alive = (pid: number) =>
  fs.access(`/proc/${pid}`).then(
    () => true,
    () => false,
  );

/** One keep-alive connection (one socket): every request on it reaches the same API process. */
class Connection {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  request(pathname: string, body?: unknown): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = http.request(
        `${baseUrl}${pathname}`,
        {
          agent: this.agent,
          method: payload ? 'POST' : 'GET',
          headers: { Authorization: `Bearer ${key}`, ...(payload ? { 'Content-Type': 'application/json' } : {}) },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** PID of the API process serving this connection. */
  async pid(): Promise<number> {
    const { text } = await this.request('/metrics');
    return Number(/^pictor_process_info\{pid="(\d+)",role="api",api_process="\d+"\} 1$/m.exec(text)![1]);
  }

  async subscribers(): Promise<number> {
    const { text } = await this.request('/metrics');
    return Number(/^pictor_realtime_subscribers (\d+)$/m.exec(text)![1]);
  }

  async generate(): Promise<string> {
    const query = 'mutation { generateImage(input: { model: { placeholder: { prompt: "cluster", steps: 2, stepMs: 0 } } }) { ... on GenerateImageSuccess { job { id } } } }';
    const { status, text } = await this.request('/graphql', { query });
    expect(status).toBe(200);
    return JSON.parse(text).data.generateImage.job.id as string;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Connections opened one after another: the supervisor hands them to the API processes in turn. */
async function connectionsByProcess(count: number): Promise<Map<number, Connection>> {
  const byPid = new Map<number, Connection>();
  for (let index = 0; index < count && byPid.size < 2; index++) {
    const connection = new Connection();
    const pid = await connection.pid();
    if (byPid.has(pid)) connection.close();
    else byPid.set(pid, connection);
  }
  return byPid;
}

/** `src/main.ts` with `env`, once it has printed its banner. */
async function startSupervisor(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const environment: NodeJS.ProcessEnv = { ...process.env, API_PROCESSES: '2', PORT: '0', LOG_LEVEL: 'info', PROGRESS_INTERVAL_MS: '0', ...env };
  if (!env.DATABASE_URL) delete environment.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const remember = (chunk: Buffer) => (text += chunk.toString('utf8'));
  child.stdout!.on('data', remember);
  child.stderr!.on('data', remember);
  const banner = await waitFor(() => /Pictor is serving GraphQL and GraphiQL at (http:\/\/\S+)\/graphql/.exec(text) ?? undefined, 'the supervisor to announce the API', 60_000);
  return { child, url: banner[1]!, output: () => text };
}

const postmasterPid = async () => Number.parseInt((await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);

// As `npm start` runs it: no DATABASE_URL, so the supervisor starts the embedded PostgreSQL.
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-cluster-'));
  const started = await startSupervisor({ DATA_DIR: dataDir });
  supervisor = started.child;
  baseUrl = started.url;
  output = started.output;
  key = (await fs.readFile(path.join(dataDir, 'dev-api-key'), 'utf8')).trim();
}, 120_000);

afterAll(async () => {
  if (supervisor.exitCode === null) supervisor.kill('SIGKILL');
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('API_PROCESSES=2', () => {
  it('announces the API once, after both API processes listen on the one port', async () => {
    expect(output().match(/Pictor is serving GraphQL/g)).toHaveLength(1);
    expect(output().match(/Development API key/g)).toHaveLength(1);
    const apiProcesses = await childrenOf(supervisor.pid!);
    expect(apiProcesses).toHaveLength(2);
    const byPid = await connectionsByProcess(6);
    expect([...byPid.keys()].sort((a, b) => a - b)).toEqual(apiProcesses);
    for (const connection of byPid.values()) connection.close();
  });

  it('runs jobs submitted to either API process on the supervisor’s workers, and a subscriber on one process sees the jobs of the other', async () => {
    const byPid = await connectionsByProcess(6);
    const [first, second] = [...byPid.values()] as [Connection, Connection];
    const client = createClient({ url: baseUrl.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
    const seen: { type: string; jobId: string }[] = [];
    const stream = client.iterate<any>({ query: 'subscription { jobsUpdated { type job { id } } }' });
    const reading = (async () => {
      for await (const result of stream) seen.push({ type: result.data.jobsUpdated.type, jobId: result.data.jobsUpdated.job.id });
    })();
    try {
      // The WebSocket landed on one of the two processes: submit through the other one.
      await waitFor(async () => (await first.subscribers()) + (await second.subscribers()) === 1, 'the subscription');
      const other = (await first.subscribers()) === 1 ? second : first;
      const jobIds = await Promise.all(Array.from({ length: 4 }, () => other.generate()));
      await waitFor(() => jobIds.every((id) => seen.some((update) => update.jobId === id && update.type === 'SUCCEEDED')), 'the jobs to succeed on the stream', 30_000);
      for (const id of jobIds) expect(seen.filter((update) => update.jobId === id).map((update) => update.type)[0]).toBe('QUEUED');
    } finally {
      await stream.return?.();
      await reading.catch(() => undefined);
      await client.dispose();
      first.close();
      second.close();
    }
  });

  it('replaces an API process killed outright, while the other keeps serving', async () => {
    const [victim, survivor] = await childrenOf(supervisor.pid!);
    process.kill(victim!, 'SIGKILL');
    await waitFor(async () => !(await alive(victim!)), 'the API process to die');
    // Until the replacement listens, every new connection reaches the survivor.
    const connection = new Connection();
    expect(await connection.generate()).toMatch(/^[0-9a-f-]{36}$/);
    connection.close();
    const replaced = await waitFor(async () => {
      const now = await childrenOf(supervisor.pid!);
      return now.length === 2 && !now.includes(victim!) && now.includes(survivor!) ? now : undefined;
    }, 'a new API process');
    await waitFor(async () => {
      const byPid = await connectionsByProcess(6);
      for (const open of byPid.values()) open.close();
      return byPid.size === 2 && [...byPid.keys()].every((pid) => replaced.includes(pid));
    }, 'the new API process to serve');
    expect(output()).toMatch(/"message":"API process exited; starting another"/);
  });

  it('stops every API process, then the embedded PostgreSQL and itself on SIGTERM, exiting 0', async () => {
    const apiProcesses = await childrenOf(supervisor.pid!);
    const postgres = await postmasterPid();
    expect(await alive(postgres)).toBe(true);
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
    supervisor.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of apiProcesses) expect(await alive(pid)).toBe(false);
    expect(await alive(postgres)).toBe(false);
  });
});

describe('API processes that cannot start', () => {
  it('fail the start: the supervisor says why, stops the others and exits 1', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as net.AddressInfo).port;
    const failedDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-cluster-'));
    onTestFinished(() => fs.rm(failedDataDir, { recursive: true, force: true }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, API_PROCESSES: '2', DATABASE_URL: await createTestDatabase(), DATA_DIR: failedDataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(text).toMatch(/EADDRINUSE/);
    expect(text).toMatch(/"message":"start failed","error":"API process \d+ exited during start-up \(code 1\)"/);
    expect(text).not.toMatch(/Pictor is serving/);
    // Nothing of that deployment is left running (an orphan would be re-parented, so look for its environment).
    expect(await processesWithEnvironment(`DATA_DIR=${failedDataDir}`)).toEqual([]);
  }, 90_000);
});

describe('a supervisor killed outright', () => {
  it('takes its API processes with it: nothing keeps serving on the port', async () => {
    const killedDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-cluster-'));
    onTestFinished(() => fs.rm(killedDataDir, { recursive: true, force: true }));
    const started = await startSupervisor({ DATABASE_URL: await createTestDatabase(), DATA_DIR: killedDataDir });
    const apiProcesses = await childrenOf(started.child.pid!);
    expect(apiProcesses).toHaveLength(2);
    const exited = new Promise((resolve) => started.child.once('exit', resolve));
    started.child.kill('SIGKILL');
    await exited;
    await waitFor(async () => (await Promise.all(apiProcesses.map(alive))).every((running) => !running), 'the API processes to exit');
    await expect(fetch(`${started.url}/healthz`)).rejects.toThrow();
  }, 90_000);
});

describe('API_PROCESSES', () => {
  it('is a whole number from 1 to 64, named when it is not', () => {
    expect(loadConfig({}).apiProcesses).toBe(1);
    expect(loadConfig({ API_PROCESSES: '4' }).apiProcesses).toBe(4);
    for (const bad of ['0', '65', '1.5', 'two']) expect(() => loadConfig({ API_PROCESSES: bad })).toThrow(/API_PROCESSES/);
    expect(() => loadConfig({ API_PROCESSES: '2', ROLE: 'worker' })).toThrow(/API_PROCESSES: needs ROLE=all or ROLE=api/);
    expect(loadConfig({ API_PROCESSES: '2', ROLE: 'api' }).apiProcesses).toBe(2);
  });
});
