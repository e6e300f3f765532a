import { coerceError } from '../../errors.js';
import type { z } from 'zod';
import type { ImageRecord, JobRecord } from '../../jobs/records.js';
import { MediaErrorCodes } from '../../media/errors.js';
import type { Services, Viewer } from '../../services.js';
import { jsonResponse } from '../shared/admission.js';
import { imageBase64, imageUrl, waitForJob } from '../shared/jobs.js';
import { openaiError } from './errors.js';
import type { CompletedEvent, ImagesResponse, ImageUsage, PartialImageEvent } from './schemas.js';
import { outputImagesOf } from '../../jobs/queries.js';

/** Answers for a submitted job: wait and return the images, or stream them as server-sent events. */

type Format = 'png' | 'jpeg' | 'webp';
const formatOf = (format: string): Format => (format === 'jpeg' || format === 'webp' ? format : 'png');
const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function usageOf(job: JobRecord): z.infer<typeof ImageUsage> {
  const input = job.usage?.inputTokens ?? 0;
  const output = job.usage?.outputTokens ?? 0;
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    input_tokens_details: { image_tokens: 0, text_tokens: input },
    cost: job.usage?.costUsd ?? null,
    credits: job.creditsCharged,
  };
}

/** Job failures caused by what the client sent (refused content, unusable reference images): 400; the rest 502. */
const ClientFaultCodes: ReadonlySet<string> = new Set(['CONTENT_POLICY', 'UPSTREAM_INVALID_REQUEST', ...Object.values(MediaErrorCodes)]);

/** A job that ended without images, as OpenAI's error envelope. */
function jobFailure(job: JobRecord): Response {
  if (job.status === 'CANCELED') return openaiError(409, `Job ${job.id} was canceled`, 'invalid_request_error', 'job_canceled');
  const message = `Job ${job.id} failed: ${job.errorMessage ?? 'unknown error'}`;
  const clientFault = ClientFaultCodes.has(job.errorCode ?? '');
  return openaiError(clientFault ? 400 : 502, message, clientFault ? 'invalid_request_error' : 'server_error', (job.errorCode ?? 'job_failed').toLowerCase());
}

function timedOut(services: Services, job: JobRecord): Response {
  const message = `Job ${job.id} did not finish within ${services.config.restSyncTimeoutMs} ms; it keeps running: follow it with the GraphQL job query or jobUpdated subscription`;
  return openaiError(504, message, 'timeout', 'job_timeout', null, { 'X-Pictor-Job-Id': job.id });
}

export async function imagesBody(services: Services, job: JobRecord, images: readonly ImageRecord[], responseFormat: 'url' | 'b64_json'): Promise<z.infer<typeof ImagesResponse>> {
  const data = await Promise.all(images.map(async (image) => (responseFormat === 'url' ? { url: imageUrl(services, image) } : { b64_json: await imageBase64(services, image) })));
  const first = images[0];
  const background = job.output.background;
  return {
    created: unixSeconds(job.createdAt),
    data,
    ...(background === 'transparent' || background === 'opaque' ? { background } : {}),
    ...(first && first.format !== 'svg' ? { output_format: formatOf(first.format) } : {}),
    ...(first ? { size: `${first.width}x${first.height}` } : {}),
    ...(typeof job.params.quality === 'string' ? { quality: job.params.quality } : {}),
    usage: usageOf(job),
    ...(job.warnings.length ? { warnings: job.warnings } : {}),
  };
}

/** Waits for the job (REST_SYNC_TIMEOUT_MS) and answers with its images. */
export async function respondWhenDone(services: Services, viewer: Viewer, job: JobRecord, responseFormat: 'url' | 'b64_json', signal: AbortSignal): Promise<Response> {
  const outcome = await waitForJob(services, viewer, job.id, { timeoutMs: services.config.restSyncTimeoutMs, signal });
  if (outcome.kind === 'timeout') return timedOut(services, job);
  if (outcome.kind === 'gone') return openaiError(499, 'The client went away', 'invalid_request_error', 'client_closed');
  if (outcome.job.status !== 'SUCCEEDED') return jobFailure(outcome.job);
  const images = await outputImagesOf(services.database.sql, job.id);
  return jsonResponse(200, await imagesBody(services, outcome.job, images, responseFormat), { 'X-Pictor-Job-Id': job.id });
}

/**
 * Streams the job as OpenAI does: up to `partialImages` preview frames as
 * `<kind>.partial_image`, then one `<kind>.completed` per image; a failure is an `error` event.
 */
export function respondAsStream(services: Services, viewer: Viewer, job: JobRecord, kind: 'image_generation' | 'image_edit', partialImages: number, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  const quality = typeof job.params.quality === 'string' ? job.params.quality : 'auto';
  const background = job.output.background ?? 'auto';
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // Once the client has gone the stream is cancelled; later writes are dropped, not thrown.
      const send = (event: string, data: unknown) => {
        if (open) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      let partialIndex = 0;
      try {
        const outcome = await waitForJob(services, viewer, job.id, {
          timeoutMs: services.config.restSyncTimeoutMs,
          signal,
          onUpdate: async (update) => {
            if (!update.preview || partialIndex >= partialImages) return;
            const partial: z.infer<typeof PartialImageEvent> = {
              type: `${kind}.partial_image`,
              b64_json: await imageBase64(services, update.preview),
              background,
              created_at: unixSeconds(update.event.createdAt),
              output_format: formatOf(update.preview.format),
              quality,
              size: `${update.preview.width}x${update.preview.height}`,
              partial_image_index: partialIndex++,
            };
            send(partial.type, partial);
          },
        });
        if (outcome.kind === 'finished' && outcome.job.status === 'SUCCEEDED') {
          for (const image of await outputImagesOf(services.database.sql, job.id)) {
            const completed: z.infer<typeof CompletedEvent> = {
              type: `${kind}.completed`,
              b64_json: await imageBase64(services, image),
              background,
              created_at: unixSeconds(outcome.job.finishedAt ?? new Date()),
              output_format: formatOf(image.format),
              quality,
              size: `${image.width}x${image.height}`,
              usage: usageOf(outcome.job),
            };
            send(completed.type, completed);
          }
        } else if (outcome.kind !== 'gone') {
          const failure = outcome.kind === 'timeout' ? timedOut(services, job) : jobFailure(outcome.job);
          send('error', await failure.json());
        }
      } catch (error) {
        send('error', { error: { message: 'The stream failed', type: 'server_error', code: 'stream_failed', param: null } });
        services.log('error', 'image stream failed', { jobId: job.id, error: coerceError(error).message });
      }
      if (open) controller.close();
    },
    cancel() {
      open = false;
    },
  });
  return new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Pictor-Job-Id': job.id } });
}
