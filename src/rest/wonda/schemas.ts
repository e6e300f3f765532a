import { z } from 'zod';

/** Wonda's image endpoint (`POST /api/v1/image/generate`) and Pictor's documented poll for it. */

export const WondaGenerateRequest = z.object({
  model: z.string().min(1).max(200).describe("Wonda's model key (`nano-banana-2`, `seedream-4-5`) or any Pictor model id."),
  prompt: z.string().max(32_000).optional(),
  params: z.record(z.string(), z.unknown()).optional().describe("The model's parameters by Wonda's (and Pictor's) names: `{ aspectRatio, resolution }`."),
  attachmentMediaIds: z.array(z.string().max(100)).max(16).optional().describe('Media ids from POST /v1/media, in order (`[image 1]` is the first).'),
  n: z.int().min(1).max(10).optional(),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

export const WondaAccepted = z.object({ inferenceJobId: z.string() });

export const WondaJob = z.object({
  inferenceJobId: z.string(),
  model: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']),
  progress: z.number().min(0).max(1),
  outputs: z.array(z.object({ url: z.string(), width: z.int(), height: z.int(), format: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  warnings: z.array(z.string()),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const WondaError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.array(z.string()), message: z.string() })).optional(),
    required: z.int().optional(),
    available: z.int().optional(),
  }),
});
