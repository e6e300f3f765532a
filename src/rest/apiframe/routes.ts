import type { z } from 'zod';
import { findModelFor } from '../../catalog/index.js';
import { ReferenceServices } from '../../catalog/rules/service-rules.js';
import { describeParameter } from '../../catalog/listing/describe.js';
import type { JobRecord, JobStatus } from '../../jobs/records.js';
import type { SubmissionResult } from '../../submission/results.js';
import type { ValidationIssue } from '../../catalog/rules/issues.js';
import { submitGeneration, type MediaRefValue } from '../../submission/service.js';
import type { WebhookEvent } from '../../webhooks/events.js';
import { admit, jsonResponse, refusalHeaders, type Refusal } from '../shared/admission.js';
import { imageUrl } from '../shared/jobs.js';
import { modelParamName } from '../shared/model-params.js';
import { clip, parseWith, readJsonObject, type RestContext, type RestRoute } from '../shared/route.js';
import { ApiframeGenerateRequest, type ApiframeAccepted, type ApiframeError, type ApiframeJob } from './schemas.js';
import { findJobForAccount, outputImagesOf } from '../../jobs/queries.js';

type Body = z.infer<typeof ApiframeGenerateRequest>;
type ErrorBody = z.infer<typeof ApiframeError>;

const StatusWords: Record<JobStatus, z.infer<typeof ApiframeJob>['status']> = {
  QUEUED: 'QUEUED',
  RUNNING: 'PROCESSING',
  SUCCEEDED: 'COMPLETED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELLED',
};
const WebhookEventNames: Record<string, WebhookEvent> = { progress: 'PROGRESS', completed: 'SUCCEEDED', failed: 'FAILED' };
/** Fields of Apiframe's `<model>Params` blocks that carry reference image URLs. */
const ReferenceFields = new Set(['image_input', 'input_images', 'image', 'images', 'image_urls', 'reference_images']);
const TopLevel = new Set(['prompt', 'model', 'webhookUrl', 'webhookEvents', 'n', 'seed']);

const error = (status: number, body: ErrorBody, headers: Record<string, string> = {}) => jsonResponse(status, body, headers);

/** Pictor's paths in Apiframe's names (`webhook.url` -> `webhookUrl`). */
function fieldName(path: readonly string[]): string {
  const joined = path.join('.');
  if (joined.startsWith('webhook.url')) return 'webhookUrl';
  if (joined.startsWith('webhook.events')) return 'webhookEvents';
  return joined || 'body';
}

function validationFailed(issues: readonly ValidationIssue[]): Response {
  const details: Record<string, string[]> = {};
  for (const issue of issues) (details[fieldName(issue.path)] ??= []).push(clip(issue.message));
  return error(400, { error: 'Validation error', details });
}

function refused(refusal: Refusal): Response {
  const message = refusal.status === 401 ? 'Invalid API key' : refusal.status === 403 ? refusal.message : 'Rate limit exceeded';
  return error(refusal.status, { error: message }, refusalHeaders(refusal));
}

function submissionFailed(result: Exclude<SubmissionResult, { kind: 'GenerateImageSuccess' }>): Response {
  switch (result.kind) {
    case 'ValidationError':
      return validationFailed(result.issues);
    case 'InsufficientCreditsError':
      return error(402, { error: 'Insufficient credits', creditsRequired: result.required, creditsAvailable: result.available });
    case 'ModelUnavailableError':
      return error(400, { error: 'Validation error', details: { model: [result.message] } });
    case 'IdempotencyConflictError':
      return error(409, { error: result.message });
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled submission result ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Top-level fields and every `<model>Params` block, as the model's params, references and warnings. */
function modelInputs(model: NonNullable<ReturnType<typeof findModelFor>>, body: Body) {
  const params: Record<string, unknown> = {};
  const references: MediaRefValue[] = [];
  const ignored: string[] = [];
  let seed = body.seed;
  const take = (key: string, value: unknown, path: string) => {
    if (value === undefined) return;
    if (ReferenceFields.has(key)) {
      for (const url of Array.isArray(value) ? value : [value]) references.push(typeof url === 'string' && url.startsWith('data:') ? { dataUrl: url } : { url: String(url) });
    } else if (key === 'seed' && typeof value === 'number') seed = value;
    else {
      const name = modelParamName(model, key);
      if (name && name !== 'prompt') params[name] = value;
      else ignored.push(path.slice(0, 80));
    }
  };
  for (const [key, value] of Object.entries(body)) {
    if (TopLevel.has(key)) continue;
    if (key.endsWith('Params') && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) take(inner, innerValue, `${key}.${inner}`);
    } else take(key, value, key);
  }
  const warnings = ignored.length ? [`${ignored.slice(0, 20).join(', ')}: not a setting of ${model.id}; ignored`] : [];
  return { params, references, seed, warnings };
}

async function generate(context: RestContext): Promise<Response> {
  const { request, services } = context;
  const admission = await admit(request, services, { scope: 'generate', apiKeyHeader: true });
  if (!admission.ok) return refused(admission);
  const json = await readJsonObject(request);
  if (!json.ok) return validationFailed(json.issues);
  const parsed = parseWith(ApiframeGenerateRequest, json.value);
  if (!parsed.ok) return validationFailed(parsed.issues);
  const body = parsed.value;
  // Apiframe's own model ids carry Apiframe's documented rules; Pictor ids are accepted too.
  const model = findModelFor(ReferenceServices.apiframe, body.model);
  if (!model) return validationFailed([{ path: ['model'], message: `Unknown model ${JSON.stringify(clip(body.model, 80))}` }]);
  const inputs = modelInputs(model, body);
  const params = describeParameter(model, 'prompt') ? { ...inputs.params, prompt: body.prompt } : inputs.params;
  const result = await submitGeneration(services, admission.viewer, {
    model,
    params,
    references: inputs.references,
    n: body.n ?? 1,
    seed: inputs.seed,
    template: undefined,
    options: {},
    idempotencyKey: request.headers.get('idempotency-key'),
    paramsPath: [],
    promptPath: ['prompt'],
    optionPaths: {},
    webhook: body.webhookUrl !== undefined ? { url: body.webhookUrl, events: (body.webhookEvents ?? ['completed', 'failed']).map((event) => WebhookEventNames[event]!) } : null,
    warnings: inputs.warnings,
  });
  if (result.kind !== 'GenerateImageSuccess') return submissionFailed(result);
  const accepted: z.infer<typeof ApiframeAccepted> = { jobId: result.job.id, status: StatusWords[result.job.status] };
  return jsonResponse(202, accepted);
}

export async function apiframeJob(context: RestContext, job: JobRecord): Promise<z.infer<typeof ApiframeJob>> {
  const images = job.status === 'SUCCEEDED' ? await outputImagesOf(context.services.database.sql, job.id) : [];
  return {
    id: job.id,
    status: StatusWords[job.status],
    model: job.modelId,
    progress: job.status === 'SUCCEEDED' ? 100 : Math.floor(job.progress * 100),
    result: job.status === 'SUCCEEDED' ? { images: images.map((image) => imageUrl(context.services, image)) } : null,
    error: job.errorMessage,
    creditCost: job.creditsCharged ?? job.creditsHeld,
    webhookStatus: null,
    createdAt: job.createdAt.toISOString(),
    completedAt: job.finishedAt?.toISOString() ?? null,
  };
}

async function getJob(context: RestContext): Promise<Response> {
  const admission = await admit(context.request, context.services, { scope: 'read', apiKeyHeader: true });
  if (!admission.ok) return refused(admission);
  const job = await findJobForAccount(context.services.database.sql, admission.viewer.accountId, context.params.jobId ?? '');
  if (!job) return error(404, { error: 'Job not found' });
  return jsonResponse(200, await apiframeJob(context, job));
}

export const apiframeRoutes: readonly RestRoute[] = [
  { method: 'POST', path: '/v2/images/generate', handler: generate },
  { method: 'GET', path: '/v2/jobs/:jobId', handler: getJob },
];
