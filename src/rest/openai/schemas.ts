import { z } from 'zod';

/**
 * The OpenAI Images API wire format (`/v1/images/generations`, `/v1/images/edits`) with
 * OpenRouter's image fields on the same endpoint. These schemas validate requests and are the
 * source of the OpenAPI document; unknown fields pass through (a model param of that name is
 * used, anything else becomes a warning on the job).
 */

/** OpenRouter's reference: a bare URL / data URL, or `{ type: "image_url", image_url: { url } }`. */
export const InputReference = z.union([z.string().min(1).max(40_000_000), z.object({ type: z.literal('image_url').optional(), image_url: z.object({ url: z.string().min(1).max(40_000_000) }) })]);

const common = {
  model: z.string().min(1).max(200).optional().describe('Any Pictor model id or alias (`gpt-image-1`, `placeholder`, `google/gemini-2.5-flash-image`). Default gpt-image-1.'),
  prompt: z.string().max(32_000).describe('What to draw (or how to edit).'),
  n: z.int().min(1).max(10).optional(),
  size: z.string().max(32).optional().describe('`auto`, pixels (`1024x1536`) or a tier (`1K`, `2K`, `4K`); conflicts with a different aspect_ratio or resolution.'),
  quality: z.string().max(32).optional().describe("Mapped onto the model's quality setting; ignored with a warning where it has none."),
  background: z.enum(['transparent', 'opaque', 'auto']).optional(),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  output_compression: z.int().min(0).max(100).optional(),
  response_format: z.enum(['url', 'b64_json']).optional().describe('Default b64_json.'),
  stream: z.boolean().optional().describe('Server-sent events: partial images, then one completed event per image.'),
  partial_images: z.int().min(0).max(3).optional(),
  aspect_ratio: z.string().max(16).optional().describe('OpenRouter: any `w:h`, mapped to the nearest ratio the model supports.'),
  resolution: z.string().max(8).optional().describe('OpenRouter: `512`, `1K`, `2K` or `4K`.'),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  provider: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "OpenRouter's passthrough object: keys naming the model's params are used; the rest is forwarded as `provider` when the job runs through OpenRouter, and otherwise ignored with a warning.",
    ),
  user: z.string().max(256).optional(),
};

export const ImageGenerationRequest = z.object({ ...common, input_references: z.array(InputReference).max(16).optional() }).loose();

/** The multipart fields of an edit (files are read separately: `image`, `image[]`, `mask`). */
export const ImageEditRequest = z.object({ ...common, input_references: z.array(InputReference).max(16).optional() }).loose();

export type ImageGenerationBody = z.infer<typeof ImageGenerationRequest>;

export const ImageData = z.object({
  b64_json: z.string().optional(),
  url: z.string().optional(),
  revised_prompt: z.string().optional(),
});

export const ImageUsage = z.object({
  input_tokens: z.int(),
  output_tokens: z.int(),
  total_tokens: z.int(),
  input_tokens_details: z.object({ image_tokens: z.int(), text_tokens: z.int() }),
  cost: z.number().nullable().describe('OpenRouter: upstream cost in US dollars; null when the upstream did not report one.'),
  credits: z.int().nullable().describe('Pictor credits charged for the job.'),
});

export const ImagesResponse = z.object({
  created: z.int(),
  data: z.array(ImageData),
  background: z.enum(['transparent', 'opaque']).optional(),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  size: z.string().optional(),
  quality: z.string().optional(),
  usage: ImageUsage,
  warnings: z.array(z.string()).optional().describe('Pictor: what was not done exactly as asked.'),
});

export const OpenAIError = z.object({
  error: z.object({ message: z.string(), type: z.string(), code: z.string().nullable(), param: z.string().nullable() }),
});

const streamEventCommon = {
  b64_json: z.string(),
  background: z.enum(['transparent', 'opaque', 'auto']),
  created_at: z.int(),
  output_format: z.enum(['png', 'webp', 'jpeg']),
  quality: z.string(),
  size: z.string(),
};

export const PartialImageEvent = z.object({
  ...streamEventCommon,
  type: z.enum(['image_generation.partial_image', 'image_edit.partial_image']),
  partial_image_index: z.int(),
});

export const CompletedEvent = z.object({ ...streamEventCommon, type: z.enum(['image_generation.completed', 'image_edit.completed']), usage: ImageUsage });
