import type { z } from 'zod';
import type { SubmissionResult } from '../../submission/results.js';
import type { ValidationIssue } from '../../catalog/rules/issues.js';
import { jsonResponse, refusalHeaders, type Refusal } from '../shared/admission.js';
import type { OpenAIError } from './schemas.js';

/** OpenAI's error envelope `{ error: { message, type, code, param } }` with the matching status. */

type Envelope = z.infer<typeof OpenAIError>;

export function openaiError(status: number, message: string, type: string, code: string | null, param: string | null = null, headers: Record<string, string> = {}): Response {
  const body: Envelope = { error: { message, type, code, param } };
  return jsonResponse(status, body, headers);
}

/** Pictor's camelCase option and param names as this wire format spells them. */
const WireNames: Record<string, string> = { aspectRatio: 'aspect_ratio', outputFormat: 'output_format', outputCompression: 'output_compression' };

export function wireText(text: string): string {
  return text.replace(/\b(aspectRatio|outputFormat|outputCompression)\b/g, (name) => WireNames[name] ?? name);
}

export function issuesError(issues: readonly ValidationIssue[]): Response {
  const first = issues[0];
  const param = first ? first.path.map((part) => WireNames[part] ?? part).join('.') : null;
  const message = issues.map((issue) => `${issue.path.map((part) => WireNames[part] ?? part).join('.') || 'body'}: ${wireText(issue.message)}`).join('; ');
  return openaiError(400, message || 'Invalid request', 'invalid_request_error', 'invalid_value', param);
}

export function refusalError(refusal: Refusal): Response {
  if (refusal.status === 401) return openaiError(401, refusal.message, 'invalid_request_error', 'invalid_api_key');
  if (refusal.status === 403) return openaiError(403, refusal.message, 'invalid_request_error', 'insufficient_scope');
  return openaiError(429, refusal.message, 'requests', 'rate_limit_exceeded', null, refusalHeaders(refusal));
}

/** Every failed submission outcome as OpenAI would answer it. */
export function submissionError(result: Exclude<SubmissionResult, { kind: 'GenerateImageSuccess' }>): Response {
  switch (result.kind) {
    case 'ValidationError':
      return issuesError(result.issues);
    case 'InsufficientCreditsError':
      return openaiError(402, result.message, 'insufficient_quota', 'insufficient_quota');
    case 'ModelUnavailableError':
      return openaiError(400, result.message, 'invalid_request_error', 'model_unavailable', 'model');
    case 'IdempotencyConflictError':
      return openaiError(409, result.message, 'invalid_request_error', 'idempotency_conflict');
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled submission result ${JSON.stringify(unreachable)}`);
    }
  }
}
