import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive } from '../src/db/running-postmaster.js';
import { waitFor } from './support/app.js';

const execFileAsync = promisify(execFile);
const tsx = path.resolve('node_modules/.bin/tsx');

let dataDir: string;
let server: ChildProcess;
let url: string;
let devKey: string;
let output = '';

/** The environment of a deployment on the embedded database under `dataDir`. */
function environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CREATE_DEV_ACCOUNT: 'true' };
  delete env.DATABASE_URL;
  return env;
}

const postmasterPid = async () => Number.parseInt((await fs.readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-cli-'));
  server = spawn(tsx, ['src/main.ts'], { env: environment(), stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  url = await waitFor(() => /serving GraphQL and GraphiQL at (http:\/\/\S+)\/graphql/.exec(output)?.[1], 'the server to listen', 60_000);
  devKey = (await fs.readFile(path.join(dataDir, 'dev-api-key'), 'utf8')).trim();
}, 90_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function graphql(query: string, key: string): Promise<any> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
  expect(response.status).toBe(200);
  return response.json();
}

it('runs the CLI on the same DATA_DIR ten times while the server keeps serving on the same database server', async () => {
  const pid = await postmasterPid();
  expect((await graphql('{ viewer { operator } }', devKey)).data.viewer.operator).toBe(true);
  let created: { accountId: string; key: string } | undefined;
  for (let run = 0; run < 10; run++) {
    const args = run % 2 === 0 ? ['keys', 'create', '--credits', '5', '--json'] : ['credits', 'grant', '--account', created!.accountId, '--credits', '3', '--json'];
    const { stdout } = await execFileAsync(tsx, ['src/cli/main.ts', ...args], { env: environment() });
    const printed = JSON.parse(stdout.trim().split('\n').at(-1)!);
    if (run % 2 === 0) created = printed;
    else expect(printed.balance).toBe(8);
    // Between runs the server answers, from the same postmaster, and sees what the CLI wrote.
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await graphql('{ viewer { balance } }', created!.key)).data.viewer.balance).toBe(run % 2 === 0 ? 5 : 8);
    expect((await graphql('{ models { id } }', devKey)).data.models.length).toBeGreaterThan(0);
    expect(await postmasterPid()).toBe(pid);
  }
  expect(server.exitCode).toBeNull();

  // The server owns the database: stopping it stops PostgreSQL too.
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  server.kill('SIGTERM');
  expect(await exited).toBe(0);
  await waitFor(() => !isAlive(pid), 'PostgreSQL to stop');

  // A lock file left by a postmaster whose pid is gone is stale: cleaned up, and the CLI starts its own.
  const gone = spawn('true');
  await new Promise((resolve) => gone.once('exit', resolve));
  const lockFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  await fs.writeFile(lockFile, `${gone.pid}\n${path.join(dataDir, 'postgres')}\n0\n5432\n${path.join(dataDir, 'postgres')}\n\n0 0\nready\n`);
  const { stdout } = await execFileAsync(tsx, ['src/cli/main.ts', 'credits', 'grant', '--account', created!.accountId, '--credits', '1', '--json'], { env: environment() });
  expect(JSON.parse(stdout.trim().split('\n').at(-1)!).balance).toBe(9);
  await expect(fs.access(lockFile)).rejects.toThrow();
}, 240_000);
