import { z } from 'zod';
import { UpstreamError } from '../errors.js';
import { fromBase64, type ProviderSettings } from '../http.js';
import type { ProviderDescriptor } from '../spec.js';
import type { GeneratedImage, GenerationResult, ImageProvider, RunOptions, Usage } from '../spec.js';
import type { GenerationRequest } from '../../catalog/request.js';
import { specFor } from '../../catalog/routes/input-spec.js';
import { buildInput, routeInput, upstreamCalls } from '../shared/input-mapping.js';
import { runCalls } from '../shared/parallel-calls.js';
import { FalQueue, type QueueOutcome } from './queue.js';

/**
 * fal.ai adapter: every catalog model routed to fal runs through the queue API
 * (https://docs.fal.ai/model-endpoints/queue) with the input its catalog route declares;
 * reference images go inline as data URIs ("some models also accept data URIs for inline file
 * content", https://docs.fal.ai/documentation/model-apis/fal-cdn; the image endpoints used here
 * document them, e.g. https://fal.ai/models/fal-ai/reve/fast/edit/llms.txt). Plain HTTP rather than
 * `@fal-ai/client`: the client hard-codes `https://queue.fal.run` (only a proxy URL or a request
 * middleware could redirect it) and retries on its own, which would hide 429s from Pictor's router.
 */

const Provider = 'fal';

/** fal's File / Image object: a URL (or a data URI in sync mode) with optional metadata. */
const falFile = z.object({ url: z.string().min(1), content_type: z.string().nullish(), width: z.number().nullish(), height: z.number().nullish() });

/** The output fields Pictor reads: generators answer `images`, utilities (BiRefNet, vectorize) one `image`. */
const falOutput = z
  .object({
    images: z.array(falFile).nullish(),
    image: falFile.nullish(),
    has_nsfw_concepts: z.array(z.boolean()).nullish(),
    seed: z.number().nullish(),
    description: z.string().nullish(),
  })
  .refine((output) => output.images != null || output.image != null, { message: 'no images or image field' });

export class FalImageProvider implements ImageProvider {
  readonly id = Provider;
  private readonly queue: FalQueue;

  constructor(settings: ProviderSettings) {
    this.queue = new FalQueue(settings);
  }

  async run(request: GenerationRequest, options: RunOptions): Promise<GenerationResult> {
    const spec = routeInput(Provider, request);
    if (spec.unavailable) throw new UpstreamError('authentication', `${Provider} cannot run ${request.modelId}: ${spec.unavailable}`, { provider: Provider });
    const editing = request.references.length > 0;
    const endpoint = editing ? (specFor(spec, 'edit').endpoint ?? request.upstreamEditModel ?? request.upstreamModel) : request.upstreamModel;
    const { input, warnings } = buildInput(spec, request, Provider);
    const calls = upstreamCalls(spec, request, input);
    const outcomes = await runCalls(calls, (call, signal, report) => this.queue.run(endpoint, call.input, { signal, onProgress: report }), options);

    const images: GeneratedImage[] = [];
    let flagged = 0;
    for (const outcome of outcomes) {
      const output = parseOutput(outcome);
      const files = output.images ?? (output.image ? [output.image] : []);
      files.forEach((file, index) => {
        // With its safety checker on, fal replaces a flagged image with a blank one: never deliver it.
        if (output.has_nsfw_concepts?.[index]) flagged++;
        else images.push(file.url.startsWith('data:') ? { bytes: fromBase64(file.url) } : { url: file.url });
      });
    }
    if (flagged > 0 && images.length === 0) {
      throw new UpstreamError('content_policy', `fal's safety checker flagged the ${flagged === 1 ? 'image' : `${flagged} images`} as NSFW`, {
        provider: Provider,
        responseBody: JSON.stringify(outcomes[0].output).slice(0, 2000),
      });
    }
    if (flagged > 0) warnings.push(`fal's safety checker withheld ${flagged} of ${flagged + images.length} images`);
    if (images.length === 0) {
      const said = outcomes.map((outcome) => (outcome.output as { description?: unknown }).description).find((text) => typeof text === 'string');
      throw new UpstreamError('retryable', `fal returned no image${said ? `: ${String(said).slice(0, 300)}` : ''}`, {
        provider: Provider,
        responseBody: JSON.stringify(outcomes[0].output).slice(0, 2000),
      });
    }
    const usage = usageOf(outcomes);
    return { images, warnings, ...(usage ? { usage } : {}) };
  }
}

function parseOutput(outcome: QueueOutcome): z.output<typeof falOutput> {
  const parsed = falOutput.safeParse(outcome.output);
  if (!parsed.success) {
    throw new UpstreamError('retryable', `fal returned an unexpected output: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`, {
      provider: Provider,
      statusCode: 200,
      responseBody: JSON.stringify(outcome.output).slice(0, 2000),
    });
  }
  return parsed.data;
}

/** fal reports compute time (`metrics.inference_time`, seconds) but no price: kept as raw usage. */
function usageOf(outcomes: readonly QueueOutcome[]): Usage | undefined {
  const times = outcomes.map((outcome) => outcome.metrics?.inference_time).filter((time): time is number => typeof time === 'number');
  if (times.length === 0) return undefined;
  return { raw: { inference_time: times.reduce((sum, time) => sum + time, 0) } };
}

/** Registry entry: enabled by `FAL_API_KEY`, endpoint overridable with `FAL_BASE_URL`. */
export const falProvider = {
  id: 'fal',
  name: 'fal.ai',
  defaultBaseUrl: 'https://queue.fal.run',
  create: (settings) => new FalImageProvider(settings),
  checkRoute: (route) => (route.input ? undefined : 'the route declares no input mapping for fal'),
} satisfies ProviderDescriptor;
