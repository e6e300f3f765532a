import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createAccountWithKey, type CreatedKey } from '../../src/accounts/api-keys.js';
import { loadConfig } from '../../src/config.js';
import { buildApp, type App, type BuildOptions } from '../../src/http/app.js';
import { graphql } from '../gql/index.js';
import type { GenerateMutation, UpdatesSubscription } from '../gql/graphql.js';
import { createTestDatabase } from './database.js';
import { trackOpen } from './open-resources.js';

export interface TestApp {
  app: App;
  url: string;
  databaseUrl: string;
  dataDir: string;
  /** Creates an account with credits and returns its key (a tenant key with every tenant scope unless told otherwise). */
  createKey(credits?: number, options?: { operator?: boolean; scopes?: string[] }): Promise<CreatedKey>;
  /** POSTs a GraphQL operation; returns the HTTP status and parsed body. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, key?: string): Promise<{ status: number; body: { data?: T; errors?: any[] } }>;
  /** A graphql-ws client authenticated with `key`. */
  wsClient(key?: string): Client;
  stop(): Promise<void>;
}

/**
 * Starts Pictor in-process on a random port with its own database (cloned from the migrated
 * template) and data directory. `env` overrides configuration variables.
 */
export async function startTestApp(env: Record<string, string> = {}, options: BuildOptions & { databaseUrl?: string } = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pictor-app-'));
  // Processes sharing one database must share the key sealing its secrets: derive it from the database.
  if (options.databaseUrl) await fs.writeFile(path.join(dataDir, 'secrets-key'), createHash('sha256').update(databaseUrl).digest('base64'), { mode: 0o600 });
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    PROGRESS_INTERVAL_MS: '0',
    REALTIME_POLL_MS: '10',
    WORKER_POLL_MS: '200',
    ...env,
  });
  const app = await buildApp(config, options);
  await app.start();
  const closed = trackOpen(`a Pictor test app (ROLE=${config.role}${config.role === 'worker' ? '' : `, ${app.url}`}; startTestApp: call its stop())`);
  const clients: Client[] = [];
  return {
    app,
    url: app.url,
    databaseUrl,
    dataDir,
    createKey: (credits = 1000, keyOptions = {}) =>
      createAccountWithKey(app.services.database.sql, { name: 'test', credits, scopes: keyOptions.scopes ?? ['generate', 'read', 'admin'], operator: keyOptions.operator }),
    async graphql(query, variables, key) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as any };
    },
    wsClient(key) {
      const client = createClient({
        url: `${app.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: key ? { authorization: `Bearer ${key}` } : {},
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.dispose()));
      await app.stop();
      closed();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Collects every message of a subscription until it completes (or `until` says stop). */
export async function collect<T>(client: Client, query: string, variables: Record<string, unknown>, until?: (item: T) => boolean): Promise<T[]> {
  const items: T[] = [];
  for await (const result of client.iterate<T>({ query, variables })) {
    if (result.errors) throw new Error(`subscription error: ${JSON.stringify(result.errors)}`);
    items.push(result.data as T);
    if (until?.(result.data as T)) break;
  }
  return items;
}

/** Waits for a condition driven by events elsewhere (never asserts on timing). */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const GENERATE = print(
  graphql(`
  mutation Generate($input: GenerateImageInput!) {
    generateImage(input: $input) {
      __typename
      ... on GenerateImageSuccess { job { ...TestJob } }
      ... on Error { code message }
      ... on ValidationError { issues { path message } }
      ... on InsufficientCreditsError { required available }
    }
  }
`),
);

export const JOB_UPDATED = print(
  graphql(`
  subscription Updates($id: ID!, $after: String) {
    jobUpdated(id: $id, after: $after) { cursor type progress stage message preview { id url width height } job { ...TestJob } }
  }
`),
);

/** The job fields the tests look at. */
export const TestJobFragment = graphql(`
  fragment TestJob on Job {
    id status progress stage attempts warnings provider creditsCharged
    error { code message }
    images { id url width height format bytes sha256 }
  }
`);

export type GenerateResult = GenerateMutation['generateImage'];
export type JobUpdateMessage = UpdatesSubscription;

/** Submits a placeholder job and returns it (throws on an error result). */
export async function generatePlaceholder(test: TestApp, key: string, params: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const { body } = await test.graphql(GENERATE, { input: { model: { placeholder: { prompt: 'a test picture', resolution: 'RES_512', steps: 2, stepMs: 0, ...params } }, ...extra } }, key);
  const result = body.data?.generateImage;
  if (result?.__typename !== 'GenerateImageSuccess') throw new Error(`generateImage failed: ${JSON.stringify(body)}`);
  return result.job as { id: string; status: string };
}

/** A TCP port free at the moment (for child processes that must be told their port). */
export async function freePortForTest(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
