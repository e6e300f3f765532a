import type { z } from 'zod';
import { issueMessage } from '../../catalog/rules/validate.js';
import type { ValidationIssue } from '../../catalog/rules/issues.js';
import type { Services } from '../../services.js';

/** What a REST handler receives. */
export interface RestContext {
  readonly request: Request;
  readonly services: Services;
  /** Path parameters (`:jobId`). */
  readonly params: Readonly<Record<string, string>>;
}

export type RestHandler = (context: RestContext) => Promise<Response>;

export interface RestRoute {
  readonly method: 'GET' | 'POST';
  /** `/v2/jobs/:jobId` style; each `:name` matches one path segment. */
  readonly path: string;
  /** Multipart bodies may carry images up to the media limit; others get MAX_REQUEST_BYTES. */
  readonly multipart?: boolean;
  readonly handler: RestHandler;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** Validates a body with a wire schema; issues name the field as the client spelled it. */
export function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown): Parsed<z.output<Schema>> {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String), message: clip(issueMessage(issue as never)) }));
  return { ok: false, issues };
}

/** The JSON body, or an issue when it is not a JSON object. */
export async function readJsonObject(request: Request): Promise<Parsed<Record<string, unknown>>> {
  try {
    const value: unknown = await request.json();
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
  } catch {
    // Reported below, without echoing the body.
  }
  return { ok: false, issues: [{ path: [], message: 'the body must be a JSON object' }] };
}

/** Messages may quote what was sent; a huge value is cut so it is never echoed whole. */
export function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
