import type { ImageRecord, JobRecord } from '../../jobs/records.js';
import { findJobForAccount } from '../../jobs/queries.js';
import { TerminalStatuses } from '../../jobs/records.js';
import type { JobUpdate } from '../../realtime/hub.js';
import { isTerminal } from '../../realtime/log-subscription.js';
import type { Services, Viewer } from '../../services.js';

/** Reading jobs and their images for the REST formats; the same rows GraphQL shows. */

/** Signed, expiring URL of a stored image (works in an `<img src>`). */
export function imageUrl(services: Services, image: Pick<ImageRecord, 'id' | 'format'>): string {
  return services.signer.sign({ kind: 'image', id: image.id, format: image.format }, services.config.fileUrlTtlSeconds);
}

export async function imageBase64(services: Services, image: Pick<ImageRecord, 'storageKey'>): Promise<string> {
  const bytes = await services.store.get(image.storageKey);
  return bytes ? Buffer.from(bytes).toString('base64') : '';
}

/** Before every event of the log. */
const FromTheStart = { xid: 0n, id: 0 };

export type WaitOutcome = { kind: 'finished'; job: JobRecord } | { kind: 'timeout' } | { kind: 'gone' };

/**
 * Follows a job through the realtime hub until it ends, the timeout passes or the client leaves
 * (`signal`). `onUpdate` sees every update on the way (preview frames for streaming): the job's
 * log is read from its first event, so a preview written before this call subscribed (a fast job
 * on a busy machine) is not lost to an opening snapshot.
 */
export async function waitForJob(
  services: Services,
  viewer: Viewer,
  jobId: string,
  options: { timeoutMs: number; signal: AbortSignal; onUpdate?: (update: JobUpdate) => Promise<void> },
): Promise<WaitOutcome> {
  const updates = await services.hub.subscribeJob(viewer, jobId, FromTheStart);
  if (!updates) return { kind: 'gone' };
  const iterator = updates[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const stop = new Promise<'timeout' | 'aborted'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    if (options.signal.aborted) resolve('aborted');
    options.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), stop]);
      if (next === 'timeout') return { kind: 'timeout' };
      if (next === 'aborted') return { kind: 'gone' };
      if (next.done) break;
      await options.onUpdate?.(next.value);
      // The terminal event, not the row: a replayed early event already carries the finished row.
      if (isTerminal(next.value.event.type)) return { kind: 'finished', job: next.value.job };
    }
    // The stream ended without a terminal update in hand: read the row as it is now.
    const job = await findJobForAccount(services.database.sql, viewer.accountId, jobId);
    return job && TerminalStatuses.has(job.status) ? { kind: 'finished', job } : { kind: 'gone' };
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
}
