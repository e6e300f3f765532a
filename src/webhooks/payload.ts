import type { ImageRecord } from '../jobs/records.js';
import { encodeCursor } from '../realtime/cursor.js';
import type { JobUpdateEvent } from '../realtime/event-log.js';
import { envelopeType, type WebhookEvent } from './events.js';

/** Signed URL of a stored image, as the API hands it out. */
export type ImageUrl = (image: ImageRecord) => string;

// `format` in upper case: the name of GraphQL's ImageFormat, as the JobUpdate this body mirrors.
function imageJson(image: ImageRecord, imageUrl: ImageUrl) {
  return { id: image.id, url: imageUrl(image), width: image.width, height: image.height, format: image.format.toUpperCase(), bytes: image.bytes, sha256: image.sha256 };
}

/**
 * The body of a delivery: the JobUpdate as JSON in the envelope the Standard Webhooks
 * specification recommends (`type`, `timestamp`, `data`). `data` mirrors the GraphQL
 * `JobUpdate`: the event (`type`, `status`, `progress`, `stage`, `preview`) and the job as it is
 * when the delivery is created. Image URLs are signed and expire (FILE_URL_TTL_SECONDS).
 */
export function webhookPayload(update: JobUpdateEvent, event: WebhookEvent, imageUrl: ImageUrl): string {
  const { job } = update;
  return JSON.stringify({
    type: envelopeType(event),
    timestamp: update.event.createdAt.toISOString(),
    data: {
      jobId: job.id,
      cursor: encodeCursor(update.key),
      event,
      type: update.event.type,
      status: update.event.status,
      progress: update.event.progress,
      stage: update.event.stage,
      message: update.event.message,
      preview: update.preview ? imageJson(update.preview, imageUrl) : null,
      job: {
        id: job.id,
        status: job.status,
        progress: job.progress,
        stage: job.stage,
        modelId: job.modelId,
        n: job.n,
        seed: job.seed,
        attempts: job.attempts,
        warnings: job.warnings,
        images: (job.images ?? []).map((image) => imageJson(image, imageUrl)),
        error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? '' } : null,
        creditsCharged: job.creditsCharged,
        createdAt: job.createdAt.toISOString(),
        startedAt: job.startedAt?.toISOString() ?? null,
        finishedAt: job.finishedAt?.toISOString() ?? null,
      },
    },
  });
}
