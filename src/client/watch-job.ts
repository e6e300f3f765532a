import type { Client } from 'graphql-ws';
import { classifyStreamError, fromGraphQLErrors, PictorError } from './errors.js';
import type { ClientJobUpdatedSubscription } from './gql/graphql.js';
import { JobUpdatedSubscription } from './operations.js';

export type JobUpdate = ClientJobUpdatedSubscription['jobUpdated'];

export interface WatchJobOptions {
  /** Start after this cursor (a previous update's `cursor`, e.g. kept in the URL): missed updates are replayed. */
  after?: string;
  /** Ends the iteration (without an error). */
  signal?: AbortSignal;
  /** Consecutive failed attempts before giving up (default 20); any update received resets the count. */
  maxRetries?: number;
  /** First reconnect delay in ms (default 250), doubling up to 5 s. */
  retryDelayMs?: number;
  /** Called before each reconnect, with the cursor it resumes from. */
  onReconnect?: (attempt: number, after: string | undefined) => void;
}

const TerminalTypes = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);
const MAX_RETRY_DELAY_MS = 5000;

/** The update after which the job cannot change any more (its stream completes after it). */
export function isTerminalUpdate(update: JobUpdate): boolean {
  return TerminalTypes.has(update.type) || (update.type === 'SNAPSHOT' && TerminalTypes.has(update.job.status));
}

/**
 * Every update of one job, once each and in order, across dropped connections: after a failure
 * it subscribes again with `after` = the last cursor it yielded, and the server replays what
 * was missed. Ends after the terminal update (or when `signal` aborts); throws a PictorError
 * when the server refuses (unknown job, bad key) or after `maxRetries` failed attempts in a row.
 */
export async function* watchJob(socket: Client, id: string, options: WatchJobOptions = {}): AsyncGenerator<JobUpdate, void, undefined> {
  const maxRetries = options.maxRetries ?? 20;
  const baseDelay = options.retryDelayMs ?? 250;
  let after = options.after;
  let failures = 0;
  while (!options.signal?.aborted) {
    const iterator = socket.iterate<ClientJobUpdatedSubscription>({ query: String(JobUpdatedSubscription), variables: { id, after: after ?? null } });
    const stop = () => void iterator.return?.();
    options.signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const result of iterator) {
        if (result.errors?.length) throw fromGraphQLErrors(result.errors);
        const update = result.data?.jobUpdated;
        if (!update) throw new PictorError('GRAPHQL_ERROR', 'jobUpdated returned no data');
        failures = 0;
        // Replays start strictly after `after`; this only guards against a server that repeats it.
        if (update.cursor === after) continue;
        after = update.cursor;
        yield update;
        if (isTerminalUpdate(update)) return;
      }
      // The server completed the stream: the job is finished (or the iteration was aborted).
      return;
    } catch (error) {
      if (options.signal?.aborted) return;
      const outcome = classifyStreamError(error);
      if (!outcome.retry) throw outcome.error;
      failures += 1;
      if (failures > maxRetries) throw new PictorError('NETWORK', `Lost the connection to Pictor ${failures} times in a row while watching job ${id}`);
      options.onReconnect?.(failures, after);
      await sleep(Math.min(MAX_RETRY_DELAY_MS, baseDelay * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4), options.signal);
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await iterator.return?.();
    }
  }
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
