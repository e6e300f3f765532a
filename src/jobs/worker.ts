import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { AbortedError, coerceError } from '../errors.js';
import { Loop } from '../loop.js';
import { claimJobs, nextClaimCursor } from './claim.js';
import { JobFinisher } from './finish-batch.js';
import { pruneBookkeeping } from './housekeeping.js';
import { extendLeases } from './lease.js';
import { Channels, type JobRecord } from './records.js';
import { runJob, type RunJobDependencies } from './run-job.js';
import { sweepExpiredLeases } from './sweep.js';

export interface WorkerOptions {
  concurrency: number;
  /** Running jobs per account unless the account sets its own limit. */
  maxRunningPerAccount: number;
  pollMs: number;
  leaseMs: number;
  shutdownGraceMs: number;
}

type WorkerState = 'created' | 'active' | 'stopping' | 'stopped';

interface RunningJob {
  job: JobRecord;
  controller: AbortController;
  done: Promise<void>;
  /** Its outputs are stored and its completion is being written: it no longer holds a slot. */
  finishing: boolean;
}

/**
 * Claims jobs and runs them, up to `concurrency` at a time. A job whose outputs are stored and
 * whose completion is being written (a round trip and a commit, batched with other jobs') gives
 * its slot back at once, so the next claim overlaps that write instead of following it; at most
 * `concurrency` more jobs can be finishing that way. `notify()` wakes it: the process
 * calls it when the database announces a claimable job (see wake-ups.ts), and it calls it itself
 * when one of its own runs ends; it polls every `pollMs` as a fallback.
 * Heartbeats its leases, sweeps everyone's expired leases, and on `stop()` drains within the
 * grace period before handing unfinished jobs back to the queue.
 */
export class Worker {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private state: WorkerState = 'created';
  private readonly running = new Map<string, RunningJob>();
  /** Where the next claim's walk over the accounts starts (see `nextClaimCursor`). */
  private claimCursor: string | undefined;
  private readonly loop: Loop;
  private timers: NodeJS.Timeout[] = [];
  private unlisteners: (() => Promise<void>)[] = [];
  /** Jobs of this worker that end together are written together. */
  readonly finisher: JobFinisher;
  /** Claim passes run (each looks at the free slots, and claims when there are any), for `/metrics`. */
  readonly stats = { claimPasses: 0 };

  constructor(
    private readonly options: WorkerOptions,
    private readonly deps: Omit<RunJobDependencies, 'workerId' | 'complete'>,
  ) {
    this.finisher = new JobFinisher(deps.sql);
    this.loop = new Loop({
      name: 'Worker',
      intervalMs: options.pollMs,
      backoff: { initialMs: 100, maxMs: 5000 },
      pass: () => this.claimOnce(),
      onError: (error) => deps.log('error', 'claim failed', { error: error.message }),
    });
  }

  get activeJobIds(): string[] {
    return [...this.running.keys()];
  }

  /** Jobs whose completion is being written: still this worker's, no longer holding a slot. */
  get finishingCount(): number {
    let finishing = 0;
    for (const running of this.running.values()) if (running.finishing) finishing++;
    return finishing;
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`Worker cannot start from state ${this.state}`);
    this.state = 'active';
    const { sql } = this.deps;
    const cancels = await sql.listen(Channels.cancelRequested, (jobId) => this.abortJob(jobId, new AbortedError('canceled')));
    this.unlisteners.push(() => cancels.unlisten());
    this.timers.push(setInterval(() => void this.heartbeat(), Math.max(50, Math.floor(this.options.leaseMs / 3))));
    this.timers.push(setInterval(() => void this.sweep(), Math.max(100, Math.floor(this.options.leaseMs / 2))));
    this.timers.push(setInterval(() => void this.housekeeping(), 60_000));
    // stop() may have come in while LISTEN was being set up.
    if (this.state === 'active') this.loop.start();
  }

  /** Cuts the idle wait short: there may be work. */
  notify(): void {
    this.loop.notify();
  }

  private abortJob(jobId: string, reason: AbortedError): void {
    const running = this.running.get(jobId);
    if (running && !running.controller.signal.aborted) running.controller.abort(reason);
  }

  /** Claims up to the free slots; true when every slot was filled (more jobs may be waiting). */
  private async claimOnce(): Promise<boolean> {
    this.stats.claimPasses++;
    const { concurrency } = this.options;
    const free = Math.min(concurrency - (this.running.size - this.finishingCount), 2 * concurrency - this.running.size);
    if (free <= 0) return false;
    const afterAccount = this.claimCursor;
    const claimed = await claimJobs(this.deps.sql, { workerId: this.id, limit: free, leaseMs: this.options.leaseMs, defaultMaxRunningPerAccount: this.options.maxRunningPerAccount, afterAccount });
    this.claimCursor = nextClaimCursor(afterAccount, claimed, free);
    for (const job of claimed) this.launch(job);
    return claimed.length === free;
  }

  private launch(job: JobRecord): void {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(new AbortedError('timeout', `Job exceeded its time limit of ${job.timeoutMs} ms`)), job.timeoutMs);
    const complete = (outcome: Parameters<JobFinisher['complete']>[0]) => {
      const running = this.running.get(job.id);
      if (running) running.finishing = true;
      this.notify();
      return this.finisher.complete(outcome);
    };
    const done = runJob(job, controller.signal, { ...this.deps, workerId: this.id, complete })
      .catch((error) => this.deps.log('error', 'job runner crashed', { jobId: job.id, error: coerceError(error).message }))
      .finally(() => {
        clearTimeout(timeout);
        this.running.delete(job.id);
        this.notify();
      });
    this.running.set(job.id, { job, controller, done, finishing: false });
  }

  private async heartbeat(): Promise<void> {
    const ids = this.activeJobIds;
    if (ids.length === 0) return;
    try {
      const leases = await extendLeases(this.deps.sql, this.id, ids, this.options.leaseMs);
      for (const id of ids) {
        const lease = leases.get(id);
        if (!lease) this.abortJob(id, new AbortedError('lease-lost'));
        else if (lease.cancelRequested) this.abortJob(id, new AbortedError('canceled'));
      }
    } catch (error) {
      this.deps.log('warn', 'heartbeat failed', { error: coerceError(error).message });
    }
  }

  private async sweep(): Promise<void> {
    try {
      const swept = await sweepExpiredLeases(this.deps.sql);
      for (const job of swept) this.deps.log('warn', 'swept job with expired lease', job);
    } catch (error) {
      this.deps.log('warn', 'sweep failed', { error: coerceError(error).message });
    }
  }

  private async housekeeping(): Promise<void> {
    try {
      await pruneBookkeeping(this.deps.sql);
    } catch (error) {
      this.deps.log('warn', 'housekeeping failed', { error: coerceError(error).message });
    }
  }

  /** Stops claiming, lets running jobs finish within the grace period, then releases the rest. */
  async stop(): Promise<void> {
    if (this.state !== 'active') return;
    this.state = 'stopping';
    await this.loop.stop();
    const drained = Promise.all([...this.running.values()].map((running) => running.done));
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => (graceTimer = setTimeout(() => resolve('timeout'), this.options.shutdownGraceMs)));
    if ((await Promise.race([drained, graceOver])) === 'timeout') {
      for (const running of this.running.values()) running.controller.abort(new AbortedError('shutdown'));
      await Promise.all([...this.running.values()].map((running) => running.done));
    }
    clearTimeout(graceTimer);
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.unlisteners.map((unlisten) => unlisten().catch(() => undefined)));
    this.state = 'stopped';
  }
}
