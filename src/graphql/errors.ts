import { GraphQLError } from 'graphql';
import type { ErrorResult, InsufficientCreditsResult, ValidationErrorResult } from '../jobs/submission-results.js';
import type { ValidationIssue } from '../catalog/rules/issues.js';
import { builder } from './builder.js';

export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

// The result shapes are plain values shared with the REST layer (src/jobs/submission-results.ts).
export type { ErrorResult, InsufficientCreditsResult, ValidationErrorResult, ValidationIssue };
export { validationError } from '../jobs/submission-results.js';

export const ErrorInterface = builder.interfaceRef<ErrorResult>('Error').implement({
  description: 'An expected failure returned as data, with a stable machine-readable code.',
  fields: (t) => ({
    code: t.exposeString('code'),
    message: t.exposeString('message'),
  }),
});

export const ValidationIssueType = builder.objectRef<ValidationIssue>('ValidationIssue').implement({
  description: 'One problem with the input.',
  fields: (t) => ({
    path: t.stringList({ description: 'Input path, e.g. ["model", "placeholder", "aspectRatio"].', resolve: (issue) => [...issue.path] }),
    message: t.exposeString('message'),
  }),
});

export const ValidationErrorType = builder.objectRef<ValidationErrorResult>('ValidationError').implement({
  description: 'The input was rejected before anything ran or was charged.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => (value as { kind?: string }).kind === 'ValidationError',
  fields: (t) => ({
    issues: t.field({ type: [ValidationIssueType], resolve: (error) => [...error.issues] }),
  }),
});

export const InsufficientCreditsErrorType = builder.objectRef<InsufficientCreditsResult>('InsufficientCreditsError').implement({
  description: 'The account balance does not cover the job; nothing was created.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => (value as { kind?: string }).kind === 'InsufficientCreditsError',
  fields: (t) => ({
    required: t.exposeInt('required'),
    available: t.exposeInt('available'),
  }),
});
