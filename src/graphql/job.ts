import { findModel } from '../catalog/index.js';
import { cancelJob } from '../jobs/cancel.js';
import { findJobForAccount, listJobsForAccount, outputImagesOf, queuePosition } from '../jobs/queries.js';
import { JobStatuses, type ImageRecord, type JobRecord, type JobUsage } from '../jobs/records.js';
import type { ProviderAttempt } from '../jobs/routing.js';
import type { Context } from '../services.js';
import { viewerOf } from './auth-scopes.js';
import { builder } from './builder.js';
import { NodeInterface } from './node-interface.js';
import { connectionType, pageOf } from './connection.js';
import { badUserInput } from './errors.js';
import { addQueryField } from './mutation-result.js';
import { ImageType } from './image.js';
import { ModelType } from './model.js';

/** A job row, possibly with its output images already loaded (subscriptions preload them). */
export type JobShape = JobRecord & { images?: ImageRecord[] };

const statusDescriptions: Record<(typeof JobStatuses)[number], string> = {
  QUEUED: 'Waiting for a worker (also between retries).',
  RUNNING: 'A worker is running an attempt.',
  SUCCEEDED: 'Finished with its images.',
  FAILED: 'Finished without images; `error` says why.',
  CANCELED: 'Canceled before it finished.',
};

export const JobStatusEnum = builder.enumType('JobStatus', {
  description: 'Where a job is in its life; SUCCEEDED, FAILED and CANCELED are final.',
  values: Object.fromEntries(JobStatuses.map((status) => [status, { value: status, description: statusDescriptions[status] }])) as Record<
    (typeof JobStatuses)[number],
    { value: (typeof JobStatuses)[number]; description: string }
  >,
});

const JobErrorType = builder.objectRef<{ code: string; message: string }>('JobError').implement({
  description: 'Why a job failed (or why its last attempt failed, while it is retried).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable machine-readable code, e.g. CONTENT_POLICY or TIMEOUT.' }),
    message: t.exposeString('message', { description: 'What went wrong, in a sentence for people.' }),
  }),
});

const ProviderAttemptType = builder.objectRef<ProviderAttempt>('ProviderAttempt').implement({
  description: 'One upstream call.',
  fields: (t) => ({
    provider: t.exposeString('provider', { description: 'The engine or upstream called.' }),
    upstreamModel: t.exposeString('upstreamModel', { description: "The model id in the upstream's own naming." }),
    outcome: t.exposeString('outcome', { description: 'succeeded, retryable, authentication, invalid_request, content_policy, timeout or error' }),
    code: t.string({ nullable: true, description: 'Error code of a failed call.', resolve: (attempt) => attempt.code ?? null }),
    statusCode: t.int({ nullable: true, description: 'HTTP status the upstream answered, if it answered.', resolve: (attempt) => attempt.statusCode ?? null }),
    message: t.string({ nullable: true, description: 'Error message of a failed call.', resolve: (attempt) => attempt.message ?? null }),
    durationMs: t.exposeInt('durationMs', { description: 'How long the call took.' }),
    at: t.field({ type: 'DateTime', description: 'When the call started.', resolve: (attempt) => new Date(attempt.at) }),
  }),
});

const JobUsageType = builder.objectRef<{ usage: JobUsage | null }>('JobUsage').implement({
  description: 'Usage as the upstreams reported it. A null cost means unknown (the upstream did not say), never free.',
  fields: (t) => ({
    reported: t.boolean({ description: 'Whether any upstream reported usage.', resolve: ({ usage }) => usage !== null }),
    costUsd: t.float({ nullable: true, description: 'The upstream cost in US dollars; null when unknown.', resolve: ({ usage }) => usage?.costUsd ?? null }),
    cost: t.string({ description: 'The upstream cost in US dollars, or "unknown".', resolve: ({ usage }) => (usage?.costUsd != null ? `$${usage.costUsd.toFixed(4)}` : 'unknown') }),
    inputTokens: t.int({ nullable: true, description: 'Input tokens, for token-priced models.', resolve: ({ usage }) => usage?.inputTokens ?? null }),
    outputTokens: t.int({ nullable: true, description: 'Output tokens, for token-priced models.', resolve: ({ usage }) => usage?.outputTokens ?? null }),
    raw: t.field({ type: 'JSON', nullable: true, description: 'Usage as the upstream reported it, unchanged.', resolve: ({ usage }) => usage?.raw ?? null }),
  }),
});

/** Synchronous when the job comes with its images (live updates): a subscription result is then ready at once. */
function outputImages(job: JobShape, context: Context): ImageRecord[] | Promise<ImageRecord[]> {
  if (job.images) return job.images;
  if (job.status !== 'SUCCEEDED') return [];
  return outputImagesOf(context.services.database.sql, job.id);
}

export const JobType = builder.objectRef<JobShape>('Job').implement({
  description: 'A generation job: queued, run by a worker, and finished with images or an error.',
  interfaces: [NodeInterface],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The job id (a UUID), the same in every API and webhook.' }),
    status: t.field({ type: JobStatusEnum, description: 'Where the job is in its life.', resolve: (job) => job.status }),
    progress: t.exposeFloat('progress', { description: 'From 0 to 1; never decreases within an attempt.' }),
    stage: t.exposeString('stage', { nullable: true, description: 'What the worker is doing now, in words (e.g. "rendering").' }),
    model: t.field({ type: ModelType, nullable: true, description: 'The model that runs the job; null if it left the catalog.', resolve: (job) => findModel(job.modelId) ?? null }),
    modelId: t.exposeString('modelId', { description: 'Id of the model that runs the job.' }),
    params: t.field({ type: 'JSON', description: 'Validated parameters, defaults applied, raw values.', resolve: (job) => job.params }),
    n: t.exposeInt('n', { description: 'Images asked for.' }),
    seed: t.expose('seed', { type: 'Seed', description: 'Seed used (chosen by Pictor when not given), for reproducing the result; the same type as the `seed` input.' }),
    images: t.field({ type: [ImageType], description: 'The output images, in order; empty until the job SUCCEEDED.', resolve: (job, _args, context) => outputImages(job, context) }),
    error: t.field({
      type: JobErrorType,
      nullable: true,
      description: 'Why the job failed, or why its last attempt failed while it is retried.',
      resolve: (job) => (job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '' } : null),
    }),
    queuePosition: t.int({
      nullable: true,
      description: 'While queued: 1 when this job is next to be claimed.',
      resolve: async (job, _args, context) => {
        if (job.status !== 'QUEUED') return null;
        return queuePosition(context.services.database.sql, job);
      },
    }),
    attempts: t.exposeInt('attempts', { description: 'Attempts started so far.' }),
    maxAttempts: t.exposeInt('maxAttempts', { description: 'Attempts allowed before the job FAILS.' }),
    warnings: t.stringList({ description: 'Inputs adjusted to what the model supports (e.g. a ratio mapped to the nearest one).', resolve: (job) => job.warnings }),
    provider: t.exposeString('provider', { nullable: true, description: 'Engine or upstream that ran the last attempt.' }),
    providerAttempts: t.field({
      type: [ProviderAttemptType],
      description: 'Every upstream call made for this job, across retries and fallbacks, in order.',
      resolve: (job) => job.providerAttempts ?? [],
    }),
    usage: t.field({ type: JobUsageType, resolve: (job) => ({ usage: job.usage ?? null }), description: 'What the upstreams reported they used.' }),
    requestedModelId: t.exposeString('requestedModelId', { nullable: true, description: 'The model asked for, when the job runs on its documented upgrade instead.' }),
    template: t.exposeString('template', { nullable: true, description: 'The template slug applied, if any.' }),
    creditsHeld: t.exposeInt('creditsHeld', { description: 'Credits reserved while the job is unfinished.' }),
    creditsCharged: t.exposeInt('creditsCharged', { nullable: true, description: 'Credits charged once finished.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the job was created.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When a worker first started it.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it reached a final status.' }),
  }),
});

const encodeJobCursor = (seq: number) => Buffer.from(`job:${seq}`).toString('base64url');
function decodeJobCursor(cursor: string): number {
  // Strict: the base64 decoder skips junk, so only the exact encoding of a safe integer passes.
  const match = cursor.length <= 64 ? /^job:(0|[1-9]\d{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  const seq = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(seq) || encodeJobCursor(seq) !== cursor) throw badUserInput('after: not a cursor returned by this connection', 'after');
  return seq;
}

const JobConnectionType = connectionType('Job', JobType, "A page of the viewer's jobs, newest first.");

builder.queryFields((t) => ({
  job: t.field({
    authScopes: { read: true },
    type: JobType,
    nullable: true,
    description: "One of the viewer's jobs; null for unknown ids (and for other accounts' jobs).",
    args: { id: t.arg.id({ required: true, description: 'The job id.' }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.id);
      if (!isUuid(id)) return null;
      return (await findJobForAccount(context.services.database.sql, viewer.accountId, id)) ?? null;
    },
  }),
  jobs: t.field({
    authScopes: { read: true },
    type: JobConnectionType,
    description: "The viewer's jobs, newest first.",
    args: {
      first: t.arg.int({ defaultValue: 20, description: 'Page size (1-100).', validate: { min: 1, max: 100 } }),
      after: t.arg.string({ description: 'Continue after this cursor (`pageInfo.endCursor` of the previous page).' }),
      status: t.arg({ type: [JobStatusEnum], description: 'Only jobs in one of these statuses.' }),
      model: t.arg.id({ description: 'Only jobs of this model (id or alias).' }),
      createdAfter: t.arg({ type: 'DateTime', description: 'Only jobs created at or after this instant.' }),
      createdBefore: t.arg({ type: 'DateTime', description: 'Only jobs created before this instant.' }),
    },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const first = args.first ?? 20;
      const before = args.after ? decodeJobCursor(args.after) : null;
      const page = await listJobsForAccount(context.services.database.sql, viewer.accountId, {
        first,
        beforeSeq: before,
        statuses: args.status,
        modelId: args.model ? (findModel(String(args.model))?.id ?? String(args.model)) : null,
        createdAfter: args.createdAfter,
        createdBefore: args.createdBefore,
      });
      return pageOf<JobShape>(page.jobs, page.hasNextPage, args.after, (job) => encodeJobCursor(job.seq));
    },
  }),
}));

addQueryField(JobType);

builder.mutationFields((t) => ({
  cancelJob: t.field({
    authScopes: { generate: true },
    type: JobType,
    nullable: true,
    description: 'Cancels a job: at once when queued; a running job is aborted and ends CANCELED. Finished jobs are returned unchanged; null for unknown ids.',
    args: { id: t.arg.id({ required: true, description: 'The job id.' }) },
    resolve: async (_root, args, context) => {
      const viewer = viewerOf(context);
      const id = String(args.id);
      if (!isUuid(id)) return null;
      const job = await cancelJob(context.services.database.sql, viewer.accountId, id);
      return job ?? null;
    },
  }),
}));

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
