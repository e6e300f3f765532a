import type { z } from 'zod';
import { readTripoGenerateImage } from '../../catalog/rules/tripo-request.js';
import type { JobStatus } from '../../jobs/records.js';
import type { SubmissionResult } from '../../submission/results.js';
import type { ValidationIssue } from '../../catalog/rules/issues.js';
import { submitGeneration } from '../../submission/service.js';
import { admit, jsonResponse, refusalHeaders, type Refusal } from '../shared/admission.js';
import { imageUrl } from '../shared/jobs.js';
import { clip, parseWith, readJsonObject, type RestContext, type RestRoute } from '../shared/route.js';
import { TripoTaskRequest, type TripoError, type TripoSubmitted, type TripoTask } from './schemas.js';
import { findJobForAccount, outputImagesOf } from '../../jobs/queries.js';

/**
 * Tripo's `generate_image` task. Without `model_version` Tripo's documented default runs
 * (flux.1_kontext_pro, a catalog alias); files become references; `t_pose`, `sketch_to_render`
 * and `template` go to the catalog, which applies Tripo's rules.
 */

/** Tripo's error codes (https://platform.tripo3d.ai/docs/error-codes) with the HTTP status each comes with. */
export const TripoErrorCodes = {
  serverError: { code: 1001, status: 500 },
  unauthorized: { code: 1002, status: 401 },
  forbidden: { code: 1005, status: 403 },
  invalidParameter: { code: 1004, status: 400 },
  rateLimited: { code: 2000, status: 429 },
  taskNotFound: { code: 2001, status: 404 },
  insufficientCredits: { code: 2010, status: 403 },
  /** Tripo has no idempotency keys: a reused key with another body is a parameter error, with HTTP's 409. */
  idempotencyConflict: { code: 1004, status: 409 },
} as const;

const StatusWords: Record<JobStatus, z.infer<typeof TripoTask>['data']['status']> = {
  QUEUED: 'queued',
  RUNNING: 'running',
  SUCCEEDED: 'success',
  FAILED: 'failed',
  CANCELED: 'cancelled',
};

function tripoError(kind: keyof typeof TripoErrorCodes, message: string, suggestion: string, headers: Record<string, string> = {}): Response {
  const { code, status } = TripoErrorCodes[kind];
  const body: z.infer<typeof TripoError> = { code, message, suggestion };
  return jsonResponse(status, body, headers);
}

/** Pictor's camelCase names as Tripo spells them. */
const WireNames: Record<string, string> = { tPose: 't_pose', sketchToRender: 'sketch_to_render', model: 'model_version' };

function invalid(issues: readonly ValidationIssue[]): Response {
  const message = issues.map((issue) => `${issue.path.map((part) => WireNames[part] ?? part).join('.') || 'body'}: ${clip(issue.message)}`).join('; ');
  return tripoError('invalidParameter', message, 'Check the named parameters against the generate_image documentation');
}

function refused(refusal: Refusal): Response {
  if (refusal.status === 401) return tripoError('unauthorized', refusal.message, 'Send "Authorization: Bearer <key>"');
  if (refusal.status === 403) return tripoError('forbidden', refusal.message, 'Use a key with the needed scope');
  return tripoError('rateLimited', refusal.message, `Retry after ${refusal.retryAfterSeconds} seconds`, refusalHeaders(refusal));
}

function submissionFailed(result: Exclude<SubmissionResult, { kind: 'GenerateImageSuccess' }>): Response {
  switch (result.kind) {
    case 'ValidationError':
      return invalid(result.issues);
    case 'InsufficientCreditsError':
      return tripoError('insufficientCredits', result.message, 'Add credits to the account');
    case 'ModelUnavailableError':
      return tripoError('invalidParameter', `model_version: ${result.message}`, 'Choose a model_version this deployment can run');
    case 'IdempotencyConflictError':
      return tripoError('idempotencyConflict', result.message, 'Use a new Idempotency-Key');
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled submission result ${JSON.stringify(unreachable)}`);
    }
  }
}

async function createTask(context: RestContext): Promise<Response> {
  const { request, services } = context;
  const admission = await admit(request, services, { scope: 'generate' });
  if (!admission.ok) return refused(admission);
  const json = await readJsonObject(request);
  if (!json.ok) return invalid(json.issues);
  const parsed = parseWith(TripoTaskRequest, json.value);
  if (!parsed.ok) return invalid(parsed.issues);
  const body = parsed.value;
  // The catalog reads the body under Tripo's rules: the documented default version, the files
  // (file_token, url or object, mutually exclusive) and Tripo's price and prompt rules.
  const read = readTripoGenerateImage(json.value);
  if (!read.ok) return invalid(read.issues);
  const { model, params, references, template } = read.request;

  const result = await submitGeneration(services, admission.viewer, {
    model,
    params,
    references,
    n: 1,
    seed: undefined,
    template,
    options: {},
    idempotencyKey: request.headers.get('idempotency-key'),
    paramsPath: [],
    promptPath: ['prompt'],
    referencesPath: [body.files ? 'files' : 'file'],
    optionPaths: {},
  });
  if (result.kind !== 'GenerateImageSuccess') return submissionFailed(result);
  const answer: z.infer<typeof TripoSubmitted> = { code: 0, data: { task_id: result.job.id } };
  return jsonResponse(200, answer);
}

async function getTask(context: RestContext): Promise<Response> {
  const admission = await admit(context.request, context.services, { scope: 'read' });
  if (!admission.ok) return refused(admission);
  const job = await findJobForAccount(context.services.database.sql, admission.viewer.accountId, context.params.taskId ?? '');
  if (!job) return tripoError('taskNotFound', 'Task not found', 'Check the task_id');
  const [image] = job.status === 'SUCCEEDED' ? await outputImagesOf(context.services.database.sql, job.id) : [];
  const task: z.infer<typeof TripoTask> = {
    code: 0,
    data: {
      task_id: job.id,
      type: 'generate_image',
      status: StatusWords[job.status],
      input: { model_version: job.requestedModelId ?? job.modelId },
      output: image ? { generated_image: imageUrl(context.services, image) } : {},
      progress: job.status === 'SUCCEEDED' ? 100 : Math.floor(job.progress * 100),
      create_time: Math.floor(job.createdAt.getTime() / 1000),
    },
  };
  return jsonResponse(200, task);
}

export const tripoRoutes: readonly RestRoute[] = [
  { method: 'POST', path: '/v2/openapi/task', handler: createTask },
  { method: 'GET', path: '/v2/openapi/task/:taskId', handler: getTask },
];
