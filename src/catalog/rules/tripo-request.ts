import { z } from 'zod';
import { findModelFor } from '../index.js';
import { ReferenceServices, TripoDefaultModelVersion, TripoModelVersions } from './service-rules.js';
import type { ModelDefinition } from '../spec.js';
import { prepareGeneration, type PreparedGeneration } from './validate.js';
import type { ValidationIssue } from './issues.js';

/**
 * Tripo's generate_image task body as a Pictor request: the model under Tripo's
 * rules (its documented default when `model_version` is absent), the params, the reference
 * images in order and the template. The REST route submits the result through the same path as
 * GraphQL; `prepareGeneration` then applies the price, prompt and file rules of the version.
 *
 * What Pictor honours for Tripo's three ways to give a file (mutually exclusive, as documented):
 * - `url`: fetched when the job runs, through the SSRF guard (or a `data:` URL carrying the image), checked by content (JPEG, PNG and
 *   WebP; WebP is converted to PNG for models that refuse it).
 * - `file_token`: the id of a Media uploaded to Pictor (`POST /v1/media` or `uploadMedia`): that
 *   is what Pictor's upload returns, as Tripo's upload returns a token.
 * - `object` `{ bucket, key }`: an object of Pictor's own media store. `key` is the media's
 *   storage key as Pictor names it (`media/<account id>/<media id>.<ext>`) or the bare media id;
 *   `bucket` is `tripo-data` (what Tripo's clients send) or `pictor`. Either way the media must
 *   belong to the caller's account, like a `file_token`.
 */

/** Buckets a `file.object` may name: Tripo's usual one and Pictor's own name for its media store. */
export const TripoObjectBuckets = ['tripo-data', 'pictor'] as const;

const MediaId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MediaStorageKey = /^media\/[^/]+\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(png|jpeg|webp)$/i;

const fileSchema = z.object({
  // "Although currently not validated, specifying the correct file type is strongly advised."
  type: z.string().max(100).optional(),
  file_token: z.string().max(200).optional(),
  url: z.string().max(8192).optional(),
  object: z.object({ bucket: z.string().max(200), key: z.string().max(1000) }).optional(),
});

const bodySchema = z.object({
  type: z.literal('generate_image'),
  prompt: z.string(),
  model_version: z.string().max(200).optional(),
  template: z.string().max(200).optional(),
  file: fileSchema.optional(),
  files: z.array(fileSchema).max(100).optional(),
  t_pose: z.boolean().optional(),
  sketch_to_render: z.boolean().optional(),
});

export type TripoGenerateImageBody = z.input<typeof bodySchema>;
export type TripoFile = z.input<typeof fileSchema>;

/** A reference as Pictor's submission path takes it. */
export type TripoReference = { mediaId: string } | { url: string } | { dataUrl: string };

export interface TripoRequest {
  /** The model under Tripo's rules (or a plain catalog model, for a Pictor id). */
  readonly model: ModelDefinition;
  /** The model_version that runs (the documented default when none was given). */
  readonly modelVersion: string;
  /** Catalog params: `prompt`, `tPose`, `sketchToRender`. */
  readonly params: Record<string, unknown>;
  /** In order: `file`, or `files` (`image[1]` is the first). */
  readonly references: TripoReference[];
  /** Where each reference came from in the body (`['files', '2']`), for error paths. */
  readonly referencePaths: string[][];
  readonly template?: string;
}

export type TripoRequestResult = { ok: true; request: TripoRequest } | { ok: false; issues: ValidationIssue[] };

/** One file as a reference, or the problem with it. */
function fileReference(file: TripoFile, path: string[]): TripoReference | ValidationIssue {
  const given = (['file_token', 'url', 'object'] as const).filter((name) => file[name] !== undefined);
  if (given.length !== 1) {
    const message = given.length === 0 ? 'give one of file_token, url or object' : `file_token, url and object are mutually exclusive; got ${given.join(' and ')}`;
    return { path, message, code: 'invalid_file' };
  }
  if (file.url !== undefined) {
    // A data URL carries the picture itself (handy for clients without an upload step).
    if (file.url.startsWith('data:')) return { dataUrl: file.url };
    let protocol = '';
    try {
      protocol = new URL(file.url).protocol;
    } catch {
      protocol = '';
    }
    if (protocol !== 'http:' && protocol !== 'https:') return { path: [...path, 'url'], message: 'url must be an http(s) URL or a data URL', code: 'invalid_file' };
    return { url: file.url };
  }
  if (file.file_token !== undefined) {
    if (!MediaId.test(file.file_token)) return { path: [...path, 'file_token'], message: 'file_token must be the id of a media uploaded to Pictor', code: 'invalid_file' };
    return { mediaId: file.file_token.toLowerCase() };
  }
  const object = file.object!;
  if (!(TripoObjectBuckets as readonly string[]).includes(object.bucket)) {
    return { path: [...path, 'object', 'bucket'], message: `bucket must be one of: ${TripoObjectBuckets.join(', ')} (Pictor's media store)`, code: 'invalid_file' };
  }
  const mediaId = MediaId.test(object.key) ? object.key : MediaStorageKey.exec(object.key)?.[1];
  if (!mediaId) {
    return { path: [...path, 'object', 'key'], message: 'key must be a Pictor media storage key (media/<account id>/<media id>.<ext>) or a media id', code: 'invalid_file' };
  }
  return { mediaId: mediaId.toLowerCase() };
}

/**
 * Reads a Tripo generate_image body. Shape problems come back as issues with the body's own
 * paths (`['files', '1', 'url']`); the version's price, prompt and file-count rules are checked
 * afterwards by `prepareGeneration` on `request.model` (map its paths with `tripoIssuePath`).
 */
export function readTripoGenerateImage(body: unknown): TripoRequestResult {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String),
        message: issue.path[0] === 'type' ? 'type must be "generate_image"' : `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`,
        code: issue.code,
      })),
    };
  }
  const input = parsed.data;
  const issues: ValidationIssue[] = [];
  const modelVersion = input.model_version ?? TripoDefaultModelVersion;
  const model = findModelFor(ReferenceServices.tripo, modelVersion);
  if (!model) {
    issues.push({
      path: ['model_version'],
      message: `Unknown model_version ${JSON.stringify(modelVersion.slice(0, 100))}; Tripo's versions are ${TripoModelVersions.map((entry) => entry.version).join(', ')} (any Pictor model id is accepted too)`,
      code: 'unknown_model',
    });
  }
  if (input.file && input.files) issues.push({ path: ['files'], message: 'give file or files, not both', code: 'invalid_file' });
  const given = input.files ? input.files.map((file, index) => [file, ['files', String(index)]] as const) : input.file ? [[input.file, ['file']] as const] : [];
  const references: TripoReference[] = [];
  const referencePaths: string[][] = [];
  for (const [file, path] of given) {
    const reference = fileReference(file, [...path]);
    if ('path' in reference) issues.push(reference);
    else {
      references.push(reference);
      referencePaths.push([...path]);
    }
  }
  if (issues.length > 0 || !model) return { ok: false, issues };
  const params: Record<string, unknown> = { prompt: input.prompt };
  // Only models that document the switches take them; false is the documented default anyway.
  if (input.t_pose) params.tPose = true;
  if (input.sketch_to_render) params.sketchToRender = true;
  return {
    ok: true,
    request: { model, modelVersion: model.serviceRules?.name ?? model.id, params, references, referencePaths, ...(input.template !== undefined ? { template: input.template } : {}) },
  };
}

const TripoParamNames: Readonly<Record<string, string>> = { tPose: 't_pose', sketchToRender: 'sketch_to_render', prompt: 'prompt', template: 'template' };

/** A catalog issue's path (`['references', '1']`, `['tPose']`) in the Tripo body (`['files', '1']`, `['t_pose']`). */
export function tripoIssuePath(issue: ValidationIssue, request: TripoRequest): string[] {
  const [head, index, ...rest] = issue.path;
  if (head === 'references') {
    if (index !== undefined && request.referencePaths[Number(index)]) return [...request.referencePaths[Number(index)]!, ...rest];
    return [request.referencePaths[0]?.[0] ?? 'files'];
  }
  if (head && TripoParamNames[head]) return [TripoParamNames[head]!, ...(index !== undefined ? [index, ...rest] : [])];
  if (head === 'n' || head === 'seed' || head === 'model') return head === 'model' ? ['model_version'] : issue.path;
  return issue.path;
}

/**
 * Reads and validates a Tripo generate_image body in one go, every issue in the body's own
 * paths: what a Tripo route answers before it submits (`prepared.price` is what the task costs).
 * `referenceFormats` are the formats of the files when already known (converted where refused).
 */
export function checkTripoGenerateImage(
  body: unknown,
  referenceFormats?: readonly string[],
): { ok: true; request: TripoRequest; prepared: PreparedGeneration } | { ok: false; issues: ValidationIssue[] } {
  const read = readTripoGenerateImage(body);
  if (!read.ok) return read;
  const { request } = read;
  const prepared = prepareGeneration(request.model, {
    params: request.params,
    referenceCount: request.references.length,
    ...(referenceFormats ? { referenceFormats } : {}),
    ...(request.template !== undefined ? { template: request.template } : {}),
  });
  if (!prepared.ok) return { ok: false, issues: prepared.issues.map((issue) => ({ ...issue, path: tripoIssuePath(issue, request) })) };
  return { ok: true, request, prepared };
}
