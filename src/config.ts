import path from 'node:path';
import { z } from 'zod';
import { ProviderEnv, type UpstreamProviderId } from './provider-ids.js';

export interface ProviderConfig {
  readonly apiKey: string | undefined;
  /** Override of the provider's default endpoint. */
  readonly baseUrl: string | undefined;
  readonly concurrency: number;
}

/** The process roles of `src/main.ts`: API and workers together, or either alone. */
export const Roles = ['all', 'api', 'worker'] as const;
export type Role = (typeof Roles)[number];

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

const milliseconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/**
 * Every setting Pictor reads from the environment. This is the only module that reads
 * `process.env`; everything else receives the frozen `Config`.
 */
const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  ROLE: z.enum(Roles).default('all'),
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  WORKER_POLL_MS: milliseconds(1000),
  JOB_LEASE_MS: z.coerce.number().int().min(200).default(30_000),
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  SHUTDOWN_GRACE_MS: milliseconds(10_000),
  PROGRESS_INTERVAL_MS: milliseconds(250),
  REALTIME_POLL_MS: z.coerce.number().int().min(1).default(25),
  DATABASE_UNHEALTHY_AFTER_MS: z.coerce.number().int().min(1000).default(60_000),
  REALTIME_KEY_CHECK_MS: z.coerce.number().int().min(100).default(3000),
  FILE_URL_TTL_SECONDS: z.coerce.number().int().min(10).default(3600),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  MAX_RUNNING_JOBS_PER_ACCOUNT: z.coerce.number().int().min(1).default(8),
  MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  REST_SYNC_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(300_000),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(12),
  MAX_QUERY_COST: z.coerce.number().int().min(100).default(20_000),
  MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  MAX_BATCH_OPERATIONS: z.coerce.number().int().min(1).default(10),
  INTROSPECTION: booleanFlag.default(true),
  PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  PROVIDER_RETRY_BASE_MS: milliseconds(500),
  PROVIDER_POLL_MS: z.coerce.number().int().min(1).default(1000),
  CREATE_DEV_ACCOUNT: booleanFlag.optional(),
  BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_PREFIX: z.string().default(''),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFlag.default(false),
  S3_PRESIGNED_REDIRECTS: booleanFlag.default(false),
  MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  MEDIA_MAX_PIXELS: z.coerce.number().int().min(1).default(50_000_000),
  MEDIA_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  ALLOW_PRIVATE_URLS: booleanFlag.default(false),
  MEDIA_TTL_SECONDS: z.coerce.number().int().min(0).default(0),
  IMAGE_TTL_SECONDS: z.coerce.number().int().min(0).default(0),
  RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).default(60_000),
  LOCAL_ENGINE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  LOCAL_ENGINE_MEMORY_MB: z.coerce.number().int().min(64).default(2048),
  LOCAL_ENGINE_IDLE_MS: z.coerce.number().int().min(0).default(60_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  WEBHOOK_RETRY_SCHEDULE: z.string().default('5s,5m,30m,2h,5h,10h,14h,20h,24h'),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(1).default(250),
  WEBHOOK_SECRET_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(86_400),
  WEBHOOK_DELIVERY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(30 * 86_400),
  CORS_ORIGINS: z.string().default(''),
  SECRETS_KEY: z.string().trim().min(1).optional(),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  /** `development` unmasks errors and enables conveniences such as the dev API key in GraphiQL. */
  readonly development: boolean;
  readonly role: Role;
  /**
   * Processes serving the API on one port (node:cluster); above 1 the first process becomes their
   * supervisor and keeps the embedded PostgreSQL and, with ROLE=all, the workers.
   */
  readonly apiProcesses: number;
  readonly port: number;
  readonly host: string;
  /** Base of absolute URLs handed to clients (signed file URLs); default: the listening address. */
  readonly publicUrl: string | undefined;
  /** Absolute directory for the embedded database, blobs and the dev API key. */
  readonly dataDir: string;
  /** External PostgreSQL; when absent an embedded server runs under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  /** How long the database may be unreachable before `/healthz` fails (so a supervisor restarts the process). */
  readonly databaseUnhealthyAfterMs: number;
  readonly worker: {
    readonly concurrency: number;
    /** Fallback claim interval; claims are normally woken by LISTEN/NOTIFY. */
    readonly pollMs: number;
    readonly leaseMs: number;
    readonly maxAttempts: number;
    readonly shutdownGraceMs: number;
    /** Minimum spacing of progress events per job (terminal events are never throttled). */
    readonly progressIntervalMs: number;
  };
  readonly realtime: {
    readonly pollMs: number;
    /** How often open streams' API keys are re-checked (a missed revocation notice ends them by then). */
    readonly keyCheckMs: number;
  };
  readonly fileUrlTtlSeconds: number;
  /** REST calls that answer with the finished image (OpenAI's) wait at most this long for the job. */
  readonly restSyncTimeoutMs: number;
  readonly limits: {
    /** Requests per minute per API key (0: unlimited); accounts may override it. */
    readonly requestsPerMinute: number;
    /** Jobs of one account running at once; accounts may override it. */
    readonly maxRunningJobsPerAccount: number;
    /** Largest request body accepted on /graphql (uploads have their own limit). */
    readonly maxRequestBytes: number;
    readonly maxQueryDepth: number;
    readonly maxQueryCost: number;
    readonly maxAliases: number;
    readonly maxBatchOperations: number;
  };
  /** Whether the schema may be introspected (GraphiQL's docs need it). */
  readonly introspection: boolean;
  /** Upstream credentials and limits, by provider id. */
  readonly providers: Readonly<Record<UpstreamProviderId, ProviderConfig>>;
  readonly routing: {
    /** Retries of a retryable upstream failure on the same route before falling back to the next. */
    readonly maxRetries: number;
    /** First retry delay; doubles each time (Retry-After wins when the upstream sends it). */
    readonly retryBaseMs: number;
    /** Interval for polling asynchronous upstream jobs. */
    readonly pollMs: number;
  };
  /** Where stored pictures live: local files under `DATA_DIR/blobs` (default) or an S3-compatible bucket. */
  readonly blobStore: BlobStoreConfig;
  readonly media: MediaConfig;
  /** Time-to-live of inputs and outputs; 0 keeps them forever. */
  readonly retention: {
    readonly mediaTtlSeconds: number;
    readonly imageTtlSeconds: number;
    /** How often worker processes delete what expired (rows and blobs together). */
    readonly sweepIntervalMs: number;
  };
  readonly webhooks: WebhooksConfig;
  /** Browser origins (`https://app.example.com`) allowed to call the API cross-origin; `*` (development only) allows any. */
  readonly corsOrigins: readonly string[];
  /** Background removal and vectorization on this machine (worker threads of each worker process). */
  readonly localEngines: LocalEngineConfig;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Create a development account and key on first start (default: with the embedded database). */
  readonly createDevAccount: boolean;
  /** 32-byte key sealing secrets at rest (webhook secrets); absent in development: generated into DATA_DIR. */
  readonly secretsKey: Buffer | undefined;
}

/** Parses the environment once; throws a readable error naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  return Object.freeze({
    development: values.NODE_ENV !== 'production',
    role: values.ROLE,
    apiProcesses: apiProcesses(values),
    port: values.PORT,
    host: values.HOST,
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir: path.resolve(values.DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    databaseUnhealthyAfterMs: values.DATABASE_UNHEALTHY_AFTER_MS,
    worker: Object.freeze({
      concurrency: values.WORKER_CONCURRENCY,
      pollMs: values.WORKER_POLL_MS,
      leaseMs: values.JOB_LEASE_MS,
      maxAttempts: values.JOB_MAX_ATTEMPTS,
      shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
      progressIntervalMs: values.PROGRESS_INTERVAL_MS,
    }),
    realtime: Object.freeze({ pollMs: values.REALTIME_POLL_MS, keyCheckMs: values.REALTIME_KEY_CHECK_MS }),
    fileUrlTtlSeconds: values.FILE_URL_TTL_SECONDS,
    restSyncTimeoutMs: values.REST_SYNC_TIMEOUT_MS,
    limits: Object.freeze({
      requestsPerMinute: values.RATE_LIMIT_PER_MINUTE,
      maxRunningJobsPerAccount: values.MAX_RUNNING_JOBS_PER_ACCOUNT,
      maxRequestBytes: values.MAX_REQUEST_BYTES,
      maxQueryDepth: values.MAX_QUERY_DEPTH,
      maxQueryCost: values.MAX_QUERY_COST,
      maxAliases: values.MAX_ALIASES,
      maxBatchOperations: values.MAX_BATCH_OPERATIONS,
    }),
    introspection: values.INTROSPECTION,
    providers: Object.freeze(providerConfigs(env)),
    routing: Object.freeze({ maxRetries: values.PROVIDER_MAX_RETRIES, retryBaseMs: values.PROVIDER_RETRY_BASE_MS, pollMs: values.PROVIDER_POLL_MS }),
    blobStore: Object.freeze(blobStoreConfig(values)),
    media: Object.freeze(mediaConfig(values)),
    retention: Object.freeze({ mediaTtlSeconds: values.MEDIA_TTL_SECONDS, imageTtlSeconds: values.IMAGE_TTL_SECONDS, sweepIntervalMs: values.RETENTION_SWEEP_INTERVAL_MS }),
    webhooks: Object.freeze(webhooksConfig(values)),
    corsOrigins: Object.freeze(corsOrigins(values)),
    localEngines: Object.freeze({ concurrency: values.LOCAL_ENGINE_CONCURRENCY, memoryMb: values.LOCAL_ENGINE_MEMORY_MB, idleMs: values.LOCAL_ENGINE_IDLE_MS }),
    logLevel: values.LOG_LEVEL,
    createDevAccount: values.CREATE_DEV_ACCOUNT ?? values.DATABASE_URL === undefined,
    secretsKey: secretsKeyConfig(values),
  });
}

function providerConfigs(env: Record<string, string | undefined>): Record<UpstreamProviderId, ProviderConfig> {
  const entries = Object.entries(ProviderEnv).map(([id, names]) => {
    const baseUrl = env[`${names.prefix}_BASE_URL`]?.trim();
    if (baseUrl && !/^https?:\/\//.test(baseUrl)) throw new Error(`Invalid configuration:\n  ${names.prefix}_BASE_URL: must be an http(s) URL`);
    const concurrency = Number(env[`${names.prefix}_CONCURRENCY`] ?? 8);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`Invalid configuration:\n  ${names.prefix}_CONCURRENCY: must be a positive integer`);
    const config: ProviderConfig = Object.freeze({ apiKey: env[names.key]?.trim() || undefined, baseUrl: baseUrl?.replace(/\/+$/, '') || undefined, concurrency });
    return [id, config] as const;
  });
  return Object.fromEntries(entries) as Record<UpstreamProviderId, ProviderConfig>;
}

export type BlobStoreConfig =
  | { readonly driver: 'fs'; /** Absolute directory of the blobs. */ readonly root: string }
  | {
      readonly driver: 's3';
      readonly bucket: string;
      /** Prepended to every key (`pictor/` puts everything under that folder); empty or ending in `/`. */
      readonly prefix: string;
      readonly region: string;
      /** Endpoint of an S3-compatible service (MinIO, R2, ...); absent for AWS itself. */
      readonly endpoint: string | undefined;
      /** Static credentials; absent: the AWS SDK's default chain (environment, profile, instance role). */
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
      /** Path-style URLs (`endpoint/bucket/key`), needed by most self-hosted S3-compatible servers. */
      readonly forcePathStyle: boolean;
      /** `/files/` answers with a redirect to a presigned bucket URL instead of streaming the bytes. */
      readonly presignedRedirects: boolean;
    };

export interface MediaConfig {
  /** Largest accepted input image (uploads, imports, data URLs) in bytes. */
  readonly maxBytes: number;
  /** Largest accepted width x height: refuses decompression bombs before they are decoded. */
  readonly maxPixels: number;
  /** Time limit of one URL fetch, redirects included. */
  readonly fetchTimeoutMs: number;
  /** Lifts the SSRF address rule (loopback, private, link-local... allowed). Development and tests only. */
  readonly allowPrivateUrls: boolean;
}

export interface LocalEngineConfig {
  /** Local engine runs at once per process (each on its own worker thread). */
  readonly concurrency: number;
  /** Memory the running local engine tasks may use together, by their estimates; larger tasks are refused. */
  readonly memoryMb: number;
  /** An idle engine thread (holding a loaded model) is stopped after this long. */
  readonly idleMs: number;
}

type EnvValues = z.output<typeof EnvSchema>;

function invalid(name: string, message: string): Error {
  return new Error(`Invalid configuration:\n  ${name}: ${message}`);
}

function blobStoreConfig(values: EnvValues): BlobStoreConfig {
  if (values.BLOB_STORE === 'fs') return { driver: 'fs', root: path.join(path.resolve(values.DATA_DIR), 'blobs') };
  if (!values.S3_BUCKET) throw invalid('S3_BUCKET', 'required when BLOB_STORE=s3');
  if (Boolean(values.S3_ACCESS_KEY_ID) !== Boolean(values.S3_SECRET_ACCESS_KEY)) {
    throw invalid('S3_ACCESS_KEY_ID', 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither');
  }
  const prefix = values.S3_PREFIX.replace(/^\/+/, '');
  return {
    driver: 's3',
    bucket: values.S3_BUCKET,
    prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
    region: values.S3_REGION,
    endpoint: values.S3_ENDPOINT,
    credentials: values.S3_ACCESS_KEY_ID ? { accessKeyId: values.S3_ACCESS_KEY_ID, secretAccessKey: values.S3_SECRET_ACCESS_KEY! } : undefined,
    forcePathStyle: values.S3_FORCE_PATH_STYLE,
    presignedRedirects: values.S3_PRESIGNED_REDIRECTS,
  };
}

function mediaConfig(values: EnvValues): MediaConfig {
  // The SSRF guard is what keeps users from reaching the deployment's own network through Pictor.
  if (values.ALLOW_PRIVATE_URLS && values.NODE_ENV === 'production') throw invalid('ALLOW_PRIVATE_URLS', 'is for development and tests only; refused with NODE_ENV=production');
  return { maxBytes: values.MEDIA_MAX_BYTES, maxPixels: values.MEDIA_MAX_PIXELS, fetchTimeoutMs: values.MEDIA_FETCH_TIMEOUT_MS, allowPrivateUrls: values.ALLOW_PRIVATE_URLS };
}

export interface WebhooksConfig {
  /** Limit of one delivery attempt (connect, send, answer). */
  readonly timeoutMs: number;
  /** Delays before each retry (the first attempt is immediate); ±10 % jitter is added. */
  readonly retryScheduleMs: readonly number[];
  /** Delivery attempts in flight at once per worker process. */
  readonly concurrency: number;
  /** How often an idle dispatcher looks for new events and due retries. */
  readonly pollMs: number;
  /** After a secret rotation, how long the previous secret keeps signing (a second signature). */
  readonly secretOverlapSeconds: number;
  /** Finished deliveries are deleted after this long; 0 keeps them. */
  readonly deliveryTtlSeconds: number;
}

const DurationUnits: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function webhooksConfig(values: EnvValues): WebhooksConfig {
  // `5s,5m,2h`: a bare number is milliseconds; empty: no retries.
  const schedule = values.WEBHOOK_RETRY_SCHEDULE.trim();
  const retryScheduleMs = (schedule === '' ? [] : schedule.split(',')).map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(part);
    if (!match) throw invalid('WEBHOOK_RETRY_SCHEDULE', `"${part.trim()}" is not a duration (e.g. 500ms, 5s, 5m, 2h)`);
    return Math.round(Number(match[1]) * DurationUnits[match[2] ?? 'ms']!);
  });
  if (retryScheduleMs.length > 50) throw invalid('WEBHOOK_RETRY_SCHEDULE', 'at most 50 retries');
  return {
    timeoutMs: values.WEBHOOK_TIMEOUT_MS,
    retryScheduleMs: Object.freeze(retryScheduleMs),
    concurrency: values.WEBHOOK_CONCURRENCY,
    pollMs: values.WEBHOOK_POLL_MS,
    secretOverlapSeconds: values.WEBHOOK_SECRET_OVERLAP_SECONDS,
    deliveryTtlSeconds: values.WEBHOOK_DELIVERY_TTL_SECONDS,
  };
}

/** `API_PROCESSES`, for the roles that serve the API (several worker processes are run as separate processes). */
function apiProcesses(values: EnvValues): number {
  if (values.API_PROCESSES > 1 && values.ROLE === 'worker') throw invalid('API_PROCESSES', 'needs ROLE=all or ROLE=api (a worker process serves no API)');
  return values.API_PROCESSES;
}

/** `CORS_ORIGINS`: a comma list of origins (scheme, host and port, no path), or `*` in development. */
function corsOrigins(values: EnvValues): string[] {
  const entries = values.CORS_ORIGINS.split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.map((entry) => {
    if (entry === '*') {
      // Any site could then drive the API with a key it obtained; production deployments name their frontends.
      if (values.NODE_ENV === 'production') throw invalid('CORS_ORIGINS', '"*" is for development only; list the allowed origins with NODE_ENV=production');
      return entry;
    }
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw invalid('CORS_ORIGINS', `"${entry.slice(0, 100)}" is not an origin such as https://app.example.com`);
    }
    const onlyOrigin = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '' && !/[^/]\/+[^/]/.test(entry.replace(/^[a-z]+:\/\//i, ''));
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !onlyOrigin) {
      throw invalid('CORS_ORIGINS', `"${entry.slice(0, 100)}" is not an origin such as https://app.example.com (scheme, host and port only)`);
    }
    return url.origin;
  });
}

function secretsKeyConfig(values: EnvValues): Buffer | undefined {
  if (values.SECRETS_KEY === undefined) {
    if (values.NODE_ENV === 'production') throw invalid('SECRETS_KEY', 'required with NODE_ENV=production (32 random bytes, base64 or hex: `openssl rand -base64 32`)');
    return undefined;
  }
  const key = /^[0-9a-f]{64}$/i.test(values.SECRETS_KEY) ? Buffer.from(values.SECRETS_KEY, 'hex') : Buffer.from(values.SECRETS_KEY, 'base64');
  if (key.length !== 32) throw invalid('SECRETS_KEY', 'must be 32 bytes, base64 or hex encoded (`openssl rand -base64 32`)');
  return key;
}
