import fs from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createFetch } from '@whatwg-node/fetch';
import { createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { authenticate, Authenticator, createAccountWithKey, KeyRevokedChannel } from '../accounts/api-keys.js';
import { RateLimiter } from '../accounts/rate-limit.js';
import { RevokedKeyWatch } from '../accounts/key-watch.js';
import { GraphQLError } from 'graphql';
import type { Config } from '../config.js';
import type { UpstreamProviderId } from '../provider-ids.js';
import { connect, runMigrations, type Database } from '../db/client.js';
import { apiProcessId } from '../cluster.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.js';
import { coerceError } from '../errors.js';
import { listenForJobWrites } from '../jobs/wake-ups.js';
import { resolveReferences } from '../media/resolve-references.js';
import { mediaFetcher } from '../media/service.js';
import { ProviderLimiter } from '../jobs/routing.js';
import { Worker } from '../jobs/worker.js';
import { JobSubmitter } from '../jobs/submit.js';
import { createProviders } from '../providers/registry.js';
import type { ImageProvider } from '../providers/spec.js';
import { RealtimeHub } from '../realtime/hub.js';
import { unauthenticated } from '../graphql/auth-scopes.js';
import { getSchema } from '../graphql/index.js';
import { type Context, type Services, type Viewer } from '../services.js';
import { createLog, type Log } from '../log.js';
import { RetentionSweeper } from '../media/retention.js';
import { createBlobStore } from '../storage/create-blob-store.js';
import { VariantRenderer } from '../storage/variants.js';
import { createUrlSigner } from '../storage/signed-urls.js';
import { loadUrlSigningKey } from '../storage/url-signing-key.js';
import { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { loadSecretBox, sealPlainWebhookSecrets } from '../webhooks/secret-box.js';
import { useRequireApiKey } from './auth-plugin.js';
import { createCors } from './cors.js';
import { serveDemo } from './demo/serve-demo.js';
import { useAutomaticPersistedQueries } from './persisted-queries.js';
import { authorizationFromExtensions, renderLocalGraphiQL, serveGraphiQLAsset } from './graphiql.js';
import { hardeningPlugins } from './hardening.js';
import { useGraphQLJsExecute } from './graphql-js-execute.js';
import { useSharedEventResults } from './shared-event-results.js';
import { assertSubscribeHooksCovered, socketSubscribe, withoutInternals } from './socket-subscribe.js';
import { serveGraphQLWs } from './ws-server.js';
import { serveFile } from './files.js';
import { maskErrorSafely } from './input-guard.js';
import { DatabaseHealth } from './database-health.js';
import { handleMediaRoute } from './media-route.js';
import { graphqlHttpHandler, PreparedDocuments, usePreparedDocuments, type ContextOption } from './graphql-fast-path.js';
import { handleRestRequest } from '../rest/router.js';
import { metricsText } from './metrics.js';

export interface App {
  /** Base URL the server listens on (after `start`). */
  readonly url: string;
  readonly services: Services;
  /** Present when this process runs workers. */
  readonly worker: Worker | undefined;
  /** Present when this process runs workers: turns job events into webhook deliveries and sends them. */
  readonly webhooks: WebhookDispatcher | undefined;
  /** The development API key, when this deployment created one. */
  readonly devApiKey: string | undefined;
  /** The database this process uses (the embedded server's address when it started one). */
  readonly databaseUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface BuildOptions {
  /** Replace the configured engines (tests use local fakes of upstream APIs). */
  providers?: Map<string, ImageProvider>;
  log?: Log;
  /** false: every `POST /graphql` goes through yoga's fetch adapter (tests compare both paths). */
  graphqlFastPath?: boolean;
  /** false: no HTTP server, whatever the role (the supervisor of `API_PROCESSES` processes, see cluster.ts). */
  serveApi?: boolean;
}

const DEV_CREDITS = 100_000;
/** Largest upstream output Pictor downloads. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** On a WebSocket: the API keys it is tracked under for revocation. */
const TRACKED_KEYS = Symbol('API keys');
type TrackedSocket = import('ws').WebSocket & { [TRACKED_KEYS]?: string[] };

/** Opens the database (embedded when no DATABASE_URL), applies migrations, wires every part. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const log = options.log ?? createLog(config.logLevel);
  await fs.mkdir(config.dataDir, { recursive: true });
  let embedded: EmbeddedPostgres | undefined;
  // Set once the health probe exists: a crash of the embedded server is known before any probe fails.
  const databaseLost = { report: (): void => undefined };
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      onUnexpectedExit: (exit) => {
        log('error', 'embedded PostgreSQL exited unexpectedly; restarting it', { ...exit });
        databaseLost.report();
      },
      onRestart: () => log('info', 'embedded PostgreSQL restarted'),
    });
    log('info', 'embedded PostgreSQL started', { dataDir: path.join(config.dataDir, 'postgres') });
  }
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const database = connect(databaseUrl, { max: config.databasePoolSize });
  try {
    await runMigrations(database);
  } catch (error) {
    await database.close();
    await embedded?.stop();
    throw error;
  }
  const parts = { fastPath: options.graphqlFastPath ?? true, serveApi: options.serveApi ?? true, databaseUrl };
  return assemble(config, database, embedded, options.providers ?? createProviders(config), log, databaseLost, parts);
}

/** First start on a fresh database: a development account and its operator key, printed and saved. */
async function ensureDevApiKey(config: Config, database: Database, log: Log): Promise<string | undefined> {
  if (!config.createDevAccount) return undefined;
  const file = path.join(config.dataDir, 'dev-api-key');
  const saved = (await fs.readFile(file, 'utf8').catch(() => '')).trim();
  if (saved && (await authenticate(database.sql, saved))) return saved;
  const created = await createAccountWithKey(database.sql, { name: 'development', credits: DEV_CREDITS, scopes: ['generate', 'read', 'admin'], operator: true });
  await fs.writeFile(file, `${created.key}\n`, { mode: 0o600 });
  log('info', 'created development account and API key', { accountId: created.accountId, keyFile: file, credits: DEV_CREDITS });
  process.stdout.write(`\n  Development API key (saved to ${file}):\n\n    Authorization: Bearer ${created.key}\n\n`);
  return created.key;
}

/** A wildcard bind address is not something a browser can open. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '127.0.0.1' || host === '::1') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function isLoopback(request: IncomingMessage | undefined): boolean {
  const address = request?.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

async function assemble(
  config: Config,
  database: Database,
  embedded: EmbeddedPostgres | undefined,
  providers: Map<string, ImageProvider>,
  log: Log,
  databaseLost: { report: () => void },
  { fastPath, serveApi, databaseUrl }: { fastPath: boolean; serveApi: boolean; databaseUrl: string },
): Promise<App> {
  const devApiKey = await ensureDevApiKey(config, database, log);
  const secretBox = await loadSecretBox(config);
  const sealed = await sealPlainWebhookSecrets(database.sql, secretBox);
  if (sealed > 0) log('info', 'encrypted webhook secrets stored in plain text', { sealed });
  const signingKey = await loadUrlSigningKey(database.sql);
  const runsApi = config.role !== 'worker' && serveApi;
  const runsWorker = config.role !== 'api';
  let baseUrl = config.publicUrl ?? `http://${displayHost(config.host)}:${config.port}`;
  const store = await createBlobStore(config.blobStore);
  const fetcher = mediaFetcher(config);
  const variants = new VariantRenderer(store);
  const sweeper = runsWorker ? new RetentionSweeper({ sql: database.sql, store, imageTtlSeconds: config.retention.imageTtlSeconds, intervalMs: config.retention.sweepIntervalMs, log }) : undefined;
  const hub = new RealtimeHub(database.sql, { pollMs: config.realtime.pollMs, log });
  let worker: Worker | undefined;
  let webhooks: WebhookDispatcher | undefined;

  const authenticator = new Authenticator(database.sql);
  const services: Services = {
    authenticator,
    rateLimiter: new RateLimiter(database.sql, (error) => log('warn', 'rate-limit counts not written', { error: coerceError(error).message })),
    secretBox,
    submitter: new JobSubmitter(database.sql),
    config,
    database,
    store,
    signer: createUrlSigner(signingKey, () => baseUrl),
    providers,
    hub,
    log,
  };
  if (runsWorker) {
    worker = new Worker(
      {
        concurrency: config.worker.concurrency,
        maxRunningPerAccount: config.limits.maxRunningJobsPerAccount,
        pollMs: config.worker.pollMs,
        leaseMs: config.worker.leaseMs,
        shutdownGraceMs: config.worker.shutdownGraceMs,
      },
      {
        sql: database.sql,
        store,
        providers,
        progressIntervalMs: config.worker.progressIntervalMs,
        limiter: new ProviderLimiter((provider) => config.providers[provider as UpstreamProviderId]?.concurrency ?? config.worker.concurrency),
        routing: config.routing,
        resolveReferences: (references, options) =>
          resolveReferences(references, { ...options, sql: database.sql, store, fetcher, limits: { maxBytes: config.media.maxBytes, maxPixels: config.media.maxPixels } }),
        // Upstream output URLs pass the same SSRF guard as client URLs (they come from outside too).
        download: (url, signal) => fetcher(url, { signal, maxBytes: MAX_OUTPUT_BYTES }).then((response) => response.bytes),
        log,
      },
    );
    webhooks = new WebhookDispatcher(
      { ...config.webhooks, allowPrivate: config.media.allowPrivateUrls, shutdownGraceMs: config.worker.shutdownGraceMs },
      { sql: database.sql, secretBox, imageUrl: (image) => services.signer.sign({ kind: 'image', id: image.id, format: image.format }, config.fileUrlTtlSeconds), log },
    );
  }

  const cors = createCors(config.corsOrigins, config.publicUrl);
  const prepared = new PreparedDocuments();
  // Yoga's context option; prepared operations call it themselves (graphql-fast-path.ts).
  const context = (async ({ request }) => ({
    viewer: (await authenticator.authenticate(request.headers.get('authorization'))) ?? null,
    services,
    idempotencyKey: request.headers.get('idempotency-key'),
  })) satisfies ContextOption;
  const yoga = createYoga<{ req: IncomingMessage }, Context>({
    schema: getSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: config.logLevel === 'debug' ? 'debug' : 'warn',
    maskedErrors: { isDev: config.development, maskError: maskErrorSafely },
    // uploadMedia: files above the media limit are cut off while parsing, not buffered whole.
    fetchAPI: createFetch({ formDataLimits: { fileSize: config.media.maxBytes, files: 10 } }),
    plugins: [
      useGraphQLJsExecute(),
      useAutomaticPersistedQueries({ maxQueryBytes: config.limits.maxRequestBytes }),
      useRequireApiKey(),
      ...hardeningPlugins(config),
      useSharedEventResults(),
      usePreparedDocuments(prepared),
    ],
    batching: { limit: config.limits.maxBatchOperations },
    context,
    // CORS is answered for every route before yoga (see cors.ts).
    cors: false,
    renderGraphiQL: renderLocalGraphiQL,
    graphiql: (request, serverContext) => ({
      title: 'Pictor',
      // SSE carries the same headers as queries (the API key); `/graphql?subscriptions=ws` uses
      // graphql-ws, where the headers travel with each operation.
      subscriptionsProtocol: new URL(request.url).searchParams.get('subscriptions') === 'ws' ? 'WS' : 'SSE',
      shouldPersistHeaders: true,
      // Convenience for the person running Pictor locally: their dev key, never sent to other hosts.
      ...(devApiKey && isLoopback(serverContext?.req) ? { headers: JSON.stringify({ Authorization: `Bearer ${devApiKey}` }, null, 2) } : {}),
      defaultQuery: 'query Models {\n  models {\n    id\n    name\n    parameters { name type allowedValues default }\n  }\n}\n',
    }),
  });

  // Yoga's final plugin list (its own and these), protected in its typings.
  assertSubscribeHooksCovered((yoga as unknown as { plugins: unknown[] }).plugins);
  const graphqlHttp = graphqlHttpHandler({ yoga, config, direct: fastPath, log, prepared, context });
  const identity = { role: config.role, apiProcess: apiProcessId() };
  let ready = false;
  const health = new DatabaseHealth(database.sql, { intervalMs: 1_000, timeoutMs: 2_000, unhealthyAfterMs: config.databaseUnhealthyAfterMs, log });
  databaseLost.report = () => health.reportLoss();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (cors.handle(request, response) || serveGraphiQLAsset(request, response, url.pathname)) return;
    if (serveDemo(request, response, url.pathname, { devApiKey, isLoopback: isLoopback(request) })) return;
    if (url.pathname === '/healthz') {
      const healthy = health.healthy;
      return void response.writeHead(healthy ? 200 : 503, { 'Content-Type': 'text/plain' }).end(healthy ? 'ok' : 'database unreachable');
    }
    if (url.pathname === '/readyz') {
      const [status, text] = !ready ? [503, 'starting'] : health.ready ? [200, 'ready'] : [503, 'database unavailable'];
      return void response.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
    }
    if (url.pathname === '/metrics') {
      return void response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(metricsText(hub, worker, webhooks, graphqlHttp.counts, services.submitter, identity));
    }
    if (url.pathname.startsWith('/files/') && (request.method === 'GET' || request.method === 'HEAD')) {
      return void serveFile(request, response, url, services, variants).catch((error) => {
        log('error', 'file route failed', { error: coerceError(error).message });
        if (!response.headersSent) response.writeHead(500).end();
      });
    }
    if (url.pathname === '/v1/media') {
      return void handleMediaRoute(request, response, services).catch((error) => {
        log('error', 'media route failed', { error: coerceError(error).message });
        if (!response.headersSent) response.writeHead(500).end();
      });
    }
    if (handleRestRequest(request, response, services, url)) return;
    if (url.pathname === '/') return void response.writeHead(302, { Location: '/graphql' }).end();
    graphqlHttp.handle(request, response, url.pathname);
  });

  const webSockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') return void socket.destroy();
    if (!cors.allowsUpgrade(request)) return void socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    webSockets.handleUpgrade(request, socket, head, (client) => webSockets.emit('connection', client, request));
  });
  // Open sockets per API key, so a revoked key loses its live connections at once. Each socket
  // lists its keys itself (no closure and close listener per socket); the WebSocket glue reports
  // closed sockets (`untrackSocket`).
  const socketsByKey = new Map<string, Set<import('ws').WebSocket>>();
  const trackSocket = (keyId: string, socket: TrackedSocket) => {
    let sockets = socketsByKey.get(keyId);
    if (!sockets) socketsByKey.set(keyId, (sockets = new Set()));
    if (sockets.has(socket)) return;
    sockets.add(socket);
    // A new array of the exact length: `push` on an empty array reserves room for 17 elements.
    const tracked = socket[TRACKED_KEYS];
    socket[TRACKED_KEYS] = tracked ? [...tracked, keyId] : [keyId];
  };
  const untrackSocket = (socket: TrackedSocket) => {
    for (const keyId of socket[TRACKED_KEYS] ?? []) {
      const sockets = socketsByKey.get(keyId);
      if (sockets?.delete(socket) && sockets.size === 0) socketsByKey.delete(keyId);
    }
  };
  let unlistenRevocations: (() => Promise<void>) | undefined;
  let unlistenJobWrites: (() => Promise<void>) | undefined;
  // A revoked key loses every open stream, on every transport (SSE included), within seconds.
  const endStreamsOf = (keyId: string) => {
    authenticator.invalidate(keyId);
    hub.endSubscriptionsOf(keyId, new GraphQLError('API key revoked', { extensions: { code: 'UNAUTHENTICATED' } }));
    // graphql-ws's Forbidden close code: the client must not reconnect with this key.
    for (const socket of socketsByKey.get(keyId) ?? []) socket.close(4403, 'Forbidden: API key revoked');
  };
  const keyWatch = new RevokedKeyWatch({
    sql: database.sql,
    keyIds: () => [...new Set([...hub.subscribedKeyIds(), ...socketsByKey.keys()])],
    onRevoked: endStreamsOf,
    intervalMs: config.realtime.keyCheckMs,
    log,
  });
  const subscribeOverSocket = socketSubscribe((error) => {
    const masked = maskErrorSafely(error, 'Unexpected error.', config.development);
    if (masked !== error) log('error', 'GraphQL subscription failed', { error: error.message });
    return withoutInternals(masked as GraphQLError);
  });
  const wsServer = serveGraphQLWs<Record<string, unknown>, { viewer?: Viewer }>(
    webSockets,
    {
      // Operations go through yoga's envelop so HTTP and WebSocket share plugins and context.
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      // Subscriptions do the plugins' work without envelop's per-subscription wrappers (see socket-subscribe.ts).
      subscribe: subscribeOverSocket,
      onConnect: async (context) => {
        const authorization = context.connectionParams?.authorization ?? context.connectionParams?.Authorization;
        // Read once: the connection keeps the viewer, not the key (nor its object) for its lifetime.
        (context as { connectionParams?: unknown }).connectionParams = undefined;
        // Without a key the connection opens and each operation brings its own (GraphiQL does).
        if (authorization === undefined) return true;
        const viewer = await authenticator.authenticate(typeof authorization === 'string' ? authorization : undefined);
        if (!viewer) {
          // 4401 is one of the codes graphql-ws clients never retry (4403, what returning false
          // sends, they retry for about 40 s with the same bad key).
          context.extra.socket.close(4401, 'Unauthorized: a valid API key is required');
          return false;
        }
        context.extra.viewer = viewer;
        trackSocket(viewer.keyId, context.extra.socket);
        return true;
      },
      onSubscribe: async (context, _id, params) => {
        const { schema, execute, parse, validate } = yoga.getEnveloped({ ...context, socket: context.extra.socket, params });
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const operationKey = context.extra.viewer ? undefined : authorizationFromExtensions(params.extensions);
        const operationViewer = operationKey === undefined ? undefined : await authenticator.authenticate(operationKey);
        if (operationViewer) trackSocket(operationViewer.keyId, context.extra.socket);
        const contextValue: Context = { viewer: context.extra.viewer ?? operationViewer ?? null, services };
        // Answered as an operation error: thrown from execution it would close the whole socket.
        if (!contextValue.viewer) return [unauthenticated()];
        return { schema, operationName: params.operationName, document, variableValues: params.variables, contextValue, rootValue: { execute } };
      },
    },
    { keepAliveMs: 12_000, onInternalError: (error) => log('error', 'GraphQL WebSocket message failed', { error: coerceError(error).message }), onClosed: untrackSocket },
  );

  return {
    get url() {
      return baseUrl;
    },
    services,
    worker,
    webhooks,
    devApiKey,
    databaseUrl,
    async start() {
      // Every committed job write, from any process, is announced by the database (wake-ups.ts);
      // a supervisor of API processes with no workers has no use for the announcements.
      if (runsApi || runsWorker)
        unlistenJobWrites = await listenForJobWrites(database.sql, {
          onClaimable: () => worker?.notify(),
          onEvents: () => {
            if (runsApi) hub.poller.nudge();
            webhooks?.notify();
          },
          onDeliveries: () => webhooks?.notifyDeliveries(),
        });
      if (runsApi) {
        hub.start();
        const revocations = await database.sql.listen(KeyRevokedChannel, endStreamsOf);
        keyWatch.start();
        unlistenRevocations = () => Promise.all([revocations.unlisten(), keyWatch.stop()]).then(() => undefined);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.port, config.host, () => resolve());
        });
        const address = server.address() as AddressInfo;
        // With PORT=0 the real port is only known now.
        if (!config.publicUrl) baseUrl = `http://${displayHost(config.host)}:${address.port}`;
        log('info', 'Pictor API listening', { url: `${baseUrl}/graphql`, role: config.role });
      }
      await worker?.start();
      if (runsWorker) log('info', 'Pictor worker running', { concurrency: config.worker.concurrency });
      await webhooks?.start();
      sweeper?.start();
      health.start();
      ready = true;
    },
    async stop() {
      ready = false;
      if (runsApi) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await unlistenRevocations?.().catch(() => undefined);
        await wsServer.dispose();
        server.closeAllConnections();
        await closed;
      }
      await unlistenJobWrites?.().catch(() => undefined);
      await worker?.stop();
      await webhooks?.stop();
      await sweeper?.stop();
      await hub.stop();
      await services.rateLimiter.flush();
      await health.stop();
      await database.close();
      await embedded?.stop();
    },
  };
}
