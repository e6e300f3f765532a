import type { z } from 'zod';
import { findModelFor } from '../../catalog/index.js';
import { ReferenceServices } from '../../catalog/rules/service-rules.js';
import { describeParameter } from '../../catalog/listing/describe.js';
import type { SubmissionResult } from '../../submission/results.js';
import type { ValidationIssue } from '../../catalog/rules/issues.js';
import { submitGeneration } from '../../submission/service.js';
import { admit, jsonResponse, refusalHeaders, type Refusal } from '../shared/admission.js';
import { imageUrl } from '../shared/jobs.js';
import { clip, parseWith, readJsonObject, type RestContext, type RestRoute } from '../shared/route.js';
import { WondaGenerateRequest, type WondaAccepted, type WondaError, type WondaJob } from './schemas.js';
import { findJobForAccount, outputImagesOf } from '../../jobs/queries.js';

/**
 * Wonda's `POST /api/v1/image/generate`: `params` are the model's own (Wonda and Pictor share
 * the names), `attachmentMediaIds` are Pictor media ids from `POST /v1/media`, and the answer's
 * `inferenceJobId` is the Pictor job id, polled with `GET /api/v1/image/jobs/:inferenceJobId`.
 */

type ErrorBody = z.infer<typeof WondaError>['error'];

const error = (status: number, body: ErrorBody, headers: Record<string, string> = {}) => jsonResponse(status, { error: body }, headers);

function invalid(issues: readonly ValidationIssue[]): Response {
  const clipped = issues.slice(0, 20).map((issue) => ({ path: [...issue.path], message: clip(issue.message) }));
  return error(400, { code: 'VALIDATION_FAILED', message: clipped.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '), issues: clipped });
}

const refused = (refusal: Refusal) => error(refusal.status, { code: refusal.code, message: refusal.message }, refusalHeaders(refusal));

function submissionFailed(result: Exclude<SubmissionResult, { kind: 'GenerateImageSuccess' }>): Response {
  switch (result.kind) {
    case 'ValidationError':
      return invalid(result.issues);
    case 'InsufficientCreditsError':
      return error(402, { code: result.code, message: result.message, required: result.required, available: result.available });
    case 'ModelUnavailableError':
      return error(400, { code: result.code, message: result.message });
    case 'IdempotencyConflictError':
      return error(409, { code: result.code, message: result.message });
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled submission result ${JSON.stringify(unreachable)}`);
    }
  }
}

async function generate(context: RestContext): Promise<Response> {
  const { request, services } = context;
  const admission = await admit(request, services, { scope: 'generate' });
  if (!admission.ok) return refused(admission);
  const json = await readJsonObject(request);
  if (!json.ok) return invalid(json.issues);
  const parsed = parseWith(WondaGenerateRequest, json.value);
  if (!parsed.ok) return invalid(parsed.issues);
  const body = parsed.value;
  // Wonda's own model names carry Wonda's documented rules; Pictor ids are accepted too.
  const model = findModelFor(ReferenceServices.wonda, body.model);
  if (!model) return error(404, { code: 'MODEL_NOT_FOUND', message: `Unknown model ${JSON.stringify(clip(body.model, 80))}` });
  const params: Record<string, unknown> = { ...body.params };
  if (body.prompt !== undefined) params.prompt = body.prompt;
  const result = await submitGeneration(services, admission.viewer, {
    model,
    params,
    references: (body.attachmentMediaIds ?? []).map((mediaId) => ({ mediaId })),
    n: body.n ?? 1,
    seed: body.seed,
    template: undefined,
    options: {},
    idempotencyKey: request.headers.get('idempotency-key'),
    paramsPath: ['params'],
    ...(describeParameter(model, 'prompt') ? { promptPath: ['prompt'] } : {}),
    referencesPath: ['attachmentMediaIds'],
    optionPaths: {},
  });
  if (result.kind !== 'GenerateImageSuccess') return submissionFailed(result);
  const accepted: z.infer<typeof WondaAccepted> = { inferenceJobId: result.job.id };
  return jsonResponse(200, accepted);
}

async function getJob(context: RestContext): Promise<Response> {
  const admission = await admit(context.request, context.services, { scope: 'read' });
  if (!admission.ok) return refused(admission);
  const job = await findJobForAccount(context.services.database.sql, admission.viewer.accountId, context.params.inferenceJobId ?? '');
  if (!job) return error(404, { code: 'NOT_FOUND', message: 'No inference job with this id' });
  const images = job.status === 'SUCCEEDED' ? await outputImagesOf(context.services.database.sql, job.id) : [];
  const answer: z.infer<typeof WondaJob> = {
    inferenceJobId: job.id,
    model: job.modelId,
    status: job.status === 'CANCELED' ? 'canceled' : (job.status.toLowerCase() as z.infer<typeof WondaJob>['status']),
    progress: job.progress,
    outputs: images.map((image) => ({ url: imageUrl(context.services, image), width: image.width, height: image.height, format: image.format })),
    error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '' } : null,
    warnings: job.warnings,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
  return jsonResponse(200, answer);
}

export const wondaRoutes: readonly RestRoute[] = [
  { method: 'POST', path: '/api/v1/image/generate', handler: generate },
  { method: 'GET', path: '/api/v1/image/jobs/:inferenceJobId', handler: getJob },
];
