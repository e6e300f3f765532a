import type { ValidationIssue } from '../catalog/rules/issues.js';
import type { JobRecord } from '../jobs/records.js';

/**
 * The outcomes of a submission as plain values. The GraphQL union and every REST wire format
 * render these same objects (`kind` is the GraphQL type name), so each outcome has one shape.
 */

/** Shape of every expected-failure result. */
export interface ErrorResult {
  readonly code: string;
  readonly message: string;
}

export interface ValidationErrorResult extends ErrorResult {
  readonly kind: 'ValidationError';
  readonly issues: readonly ValidationIssue[];
}

export interface InsufficientCreditsResult extends ErrorResult {
  readonly kind: 'InsufficientCreditsError';
  readonly required: number;
  readonly available: number;
}

export interface ModelUnavailableResult extends ErrorResult {
  readonly kind: 'ModelUnavailableError';
  readonly modelId: string;
}

export interface IdempotencyConflictResult extends ErrorResult {
  readonly kind: 'IdempotencyConflictError';
  /** The job the key already belongs to. */
  readonly jobId: string;
}

export interface SubmissionSuccess {
  readonly kind: 'GenerateImageSuccess';
  readonly job: JobRecord;
}

export type SubmissionResult = SubmissionSuccess | ValidationErrorResult | InsufficientCreditsResult | ModelUnavailableResult | IdempotencyConflictResult;

export function validationError(issues: ValidationIssue[]): ValidationErrorResult {
  const summary = issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  return { kind: 'ValidationError', code: 'VALIDATION_FAILED', message: summary || 'Invalid input', issues };
}
