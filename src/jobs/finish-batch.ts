import type { Sql } from '../db/client.js';
import { completeJob, completeJobs, type CompleteJob } from './finish.js';

interface Waiting {
  outcome: CompleteJob;
  resolve: (completed: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for successful jobs. A completion is written at once when fewer than
 * `maxInFlight` statements are running; otherwise it waits for one to finish and goes with the
 * other waiting completions, up to `maxBatch`, in one statement (`completeJobs`): one round trip,
 * one commit and one wake-up for all of them. At low load nothing waits; with many jobs ending
 * together the statements grow instead of queueing.
 *
 * A caller's promise resolves only after its job's statement has committed, exactly as with
 * `completeJob`, so nothing is acknowledged that a crash could lose. If a batch statement fails,
 * its completions are written one by one, so an error reaches only the job it belongs to.
 */
export class JobFinisher {
  readonly #queue: Waiting[] = [];
  #inFlight = 0;
  /** Statements and completions written, for the metrics endpoint and the benchmarks. */
  readonly stats = { statements: 0, jobs: 0, largestBatch: 0 };

  constructor(
    private readonly sql: Sql,
    private readonly limits: { maxInFlight: number; maxBatch: number } = { maxInFlight: 1, maxBatch: 32 },
  ) {}

  /** Completes the job as `completeJob` does: true when it was written, false when the job is no longer the worker's. */
  complete(outcome: CompleteJob): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ outcome, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.limits.maxInFlight && this.#queue.length > 0) {
      const batch = this.#take();
      this.#inFlight++;
      void this.#write(batch).then(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** The oldest waiting completions, up to `maxBatch`, one per job (a repeat waits for the next batch). */
  #take(): Waiting[] {
    const batch: Waiting[] = [];
    const jobs = new Set<string>();
    let kept = 0;
    for (const waiting of this.#queue) {
      if (batch.length < this.limits.maxBatch && !jobs.has(waiting.outcome.jobId)) {
        batch.push(waiting);
        jobs.add(waiting.outcome.jobId);
      } else {
        this.#queue[kept++] = waiting;
      }
    }
    this.#queue.length = kept;
    return batch;
  }

  /** Writes a batch and settles its callers. Never rejects. */
  async #write(batch: Waiting[]): Promise<void> {
    this.stats.statements++;
    this.stats.jobs += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    if (batch.length === 1) return this.#writeOne(batch[0]!);
    let completed: Set<string>;
    try {
      completed = await completeJobs(
        this.sql,
        batch.map((waiting) => waiting.outcome),
      );
    } catch {
      // Which completion broke the statement is unknown: each is written (and fails) on its own.
      for (const waiting of batch) await this.#writeOne(waiting);
      return;
    }
    for (const waiting of batch) waiting.resolve(completed.has(waiting.outcome.jobId));
  }

  async #writeOne(waiting: Waiting): Promise<void> {
    try {
      waiting.resolve(await completeJob(this.sql, waiting.outcome));
    } catch (error) {
      waiting.reject(error);
    }
  }
}
