import { z } from 'zod';

/** Tripo's task API, `generate_image` type (`POST /v2/openapi/task`, `GET /v2/openapi/task/:task_id`). */

export const TripoFile = z
  .object({
    type: z.string().max(16).optional().describe('jpg, png, webp (not validated, as in Tripo).'),
    file_token: z.string().max(200).optional().describe('A Pictor media id (from POST /v1/media).'),
    url: z.string().max(8192).optional().describe('An http(s) URL or data URL, fetched through the SSRF guard.'),
    object: z
      .object({ bucket: z.string().max(200).optional(), key: z.string().max(200) })
      .optional()
      .describe('`key` is a Pictor media id.'),
  })
  .describe('Exactly one of file_token, url, object.');

export const TripoTaskRequest = z.object({
  type: z.literal('generate_image'),
  prompt: z.string().max(32_000),
  model_version: z.string().min(1).max(200).optional().describe('Tripo model versions (`flux.1_kontext_pro`, the default, `gpt_image_1.5`, ...) or any Pictor model id.'),
  template: z.string().max(100).optional(),
  file: TripoFile.optional(),
  files: z.array(TripoFile).max(16).optional(),
  t_pose: z.boolean().optional(),
  sketch_to_render: z.boolean().optional(),
});

export const TripoStatus = z.enum(['queued', 'running', 'success', 'failed', 'cancelled']);

export const TripoSubmitted = z.object({ code: z.literal(0), data: z.object({ task_id: z.string() }) });

export const TripoTask = z.object({
  code: z.literal(0),
  data: z.object({
    task_id: z.string(),
    type: z.literal('generate_image'),
    status: TripoStatus,
    input: z.object({ model_version: z.string() }),
    output: z.object({ generated_image: z.string().optional() }),
    progress: z.int().min(0).max(100),
    create_time: z.int(),
  }),
});

export const TripoError = z.object({ code: z.int(), message: z.string(), suggestion: z.string() });
