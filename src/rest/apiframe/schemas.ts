import { z } from 'zod';

/** Apiframe's unified image endpoint (`POST /v2/images/generate`, `GET /v2/jobs/:jobId`). */

export const ApiframeGenerateRequest = z
  .object({
    prompt: z.string().max(32_000).describe('The image description (1-2,000 characters on most models).'),
    model: z.string().min(1).max(200).describe("Apiframe's identifier (`nano-banana-2`) or any Pictor model id."),
    webhookUrl: z.string().max(2048).optional(),
    webhookEvents: z
      .array(z.enum(['progress', 'completed', 'failed']))
      .max(3)
      .optional(),
    n: z.int().min(1).max(10).optional(),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  })
  .loose()
  .describe("Model parameters go in the model's params object (`nanoBananaParams: { aspect_ratio }`) or at the top level.");

export const ApiframeAccepted = z.object({ jobId: z.string(), status: z.enum(['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED']) });

export const ApiframeJob = z.object({
  id: z.string(),
  status: z.enum(['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED']),
  model: z.string(),
  progress: z.int().min(0).max(100),
  result: z.object({ images: z.array(z.string()) }).nullable(),
  error: z.string().nullable(),
  creditCost: z.int().nullable(),
  webhookStatus: z.null(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

export const ApiframeError = z.object({
  error: z.string(),
  details: z.record(z.string(), z.array(z.string())).optional(),
  creditsRequired: z.int().optional(),
  creditsAvailable: z.int().optional(),
});
