import { GraphQLError } from 'graphql';
import type { ErrorResult, InsufficientCreditsResult, ValidationErrorResult } from '../submission/results.js';
import type { ValidationIssue } from '../catalog/rules/issues.js';
import { builder } from './builder.js';

export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

// The result shapes are plain values shared with the REST layer (src/submission/results.ts).
export type { ErrorResult, InsufficientCreditsResult, ValidationErrorResult, ValidationIssue };
export { validationError } from '../submission/results.js';

/**
 * An expected failure as @pothos/plugin-errors handles them: a resolver returns (or throws) an
 * instance, and the field's error union resolves it to the GraphQL type registered for its class.
 * The plain result the domain returned stays on `result` for the type's own fields.
 */
export class ResultError<T extends ErrorResult = ErrorResult> extends Error {
  readonly code: string;
  constructor(readonly result: T) {
    super(result.message);
    this.code = result.code;
  }
}

export const ErrorInterface = builder.interfaceRef<ResultError>('Error').implement({
  description: 'An expected failure returned as data, with a stable machine-readable code.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'Stable machine-readable code, e.g. VALIDATION_FAILED.' }),
    message: t.exposeString('message', { description: 'What went wrong, in a sentence for people.' }),
  }),
});

export const ValidationIssueType = builder.objectRef<ValidationIssue>('ValidationIssue').implement({
  description: 'One problem with the input.',
  fields: (t) => ({
    path: t.stringList({ description: 'Input path, e.g. ["model", "placeholder", "aspectRatio"].', resolve: (issue) => [...issue.path] }),
    message: t.exposeString('message', { description: 'What is wrong at that path.' }),
  }),
});

export class ValidationFailure extends ResultError<ValidationErrorResult> {}
export class InsufficientCreditsFailure extends ResultError<InsufficientCreditsResult> {}

builder.objectType(ValidationFailure, {
  name: 'ValidationError',
  description: 'The input was rejected before anything ran or was charged.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    issues: t.field({ type: [ValidationIssueType], description: 'Every problem found, each with its input path.', resolve: (error) => [...error.result.issues] }),
  }),
});

builder.objectType(InsufficientCreditsFailure, {
  name: 'InsufficientCreditsError',
  description: 'The account balance does not cover the job; nothing was created.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    required: t.int({ description: 'Credits the job costs.', resolve: (error) => error.result.required }),
    available: t.int({ description: 'Spendable credits of the account.', resolve: (error) => error.result.available }),
  }),
});
