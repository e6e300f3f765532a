import type { ProgressUpdate, RunOptions } from '../spec.js';

/**
 * Runs the upstream calls one request was split into (an upstream without an image-count field
 * makes one call per image) side by side, so `n` images take about as long as one. Progress is
 * the mean of the calls' progress. The first failure cancels the others through their signal,
 * so no call keeps running (and billing) for a job that has already failed.
 */
export async function runCalls<Call, Result>(
  calls: readonly Call[],
  run: (call: Call, signal: AbortSignal, report: (update: ProgressUpdate) => void) => Promise<Result>,
  options: RunOptions,
): Promise<Result[]> {
  if (calls.length === 1) return [await run(calls[0], options.signal, options.onProgress)];
  const siblings = new AbortController();
  const onAbort = () => siblings.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  const fractions = calls.map(() => 0);
  try {
    return await Promise.all(
      calls.map((call, index) =>
        run(call, siblings.signal, (update) => {
          fractions[index] = update.progress;
          options.onProgress({ ...update, progress: fractions.reduce((sum, fraction) => sum + fraction, 0) / fractions.length });
        }).catch((error: unknown) => {
          siblings.abort(error);
          // Our own abort reaches every call; the caller expects the signal's reason, as is.
          if (options.signal.aborted) throw options.signal.reason;
          throw error;
        }),
      ),
    );
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
}
